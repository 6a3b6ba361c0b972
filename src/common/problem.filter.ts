// Every error leaves as application/problem+json (RFC 9457). Unknown errors are
// logged with an errorId and answered without internals.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { DomainException, ProblemCode } from './problem';
import { isUnavailableError } from './unavailable';

const CODE_BY_STATUS: Record<number, ProblemCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  [extra: string]: unknown;
}

export function problem(status: number, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  const title = (HttpStatus[status] ?? 'Error')
    .toString()
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return { type: 'about:blank', title, status, code, detail, ...extra };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const body = this.toProblem(error, req);
    if (res.headersSent) return;
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(error: unknown, req: Request): Problem {
    if (error instanceof DomainException) return problem(error.status, error.code, error.message, error.extra);
    if (error instanceof HttpException) return this.fromHttpException(error);
    // http-errors from the body parser (413 too large, 415 charset …), thrown before Nest sees the request
    const httpError = error as { status?: number; expose?: boolean; message?: string };
    if (httpError?.expose && typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
      return this.fromHttpException(new HttpException(httpError.message ?? 'Bad request', httpError.status));
    }
    if (isUntranslatableText(error)) {
      // e.g. a \u0000 in a string: valid JSON, but PostgreSQL text cannot hold it; the transaction rolled back
      return problem(400, 'VALIDATION_FAILED', 'The request contains characters that cannot be stored', {
        errors: [{ field: 'body', message: 'text must not contain NUL (\\u0000) characters' }],
      });
    }
    if (isUnavailableError(error)) {
      this.logger.warn(`${req.method} ${req.url}: dependency unavailable: ${(error as Error).message}`);
      return problem(503, 'UNAVAILABLE', 'The database or queue is unreachable; nothing was written');
    }
    const errorId = randomUUID();
    this.logger.error(`errorId=${errorId} ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
    return problem(500, 'INTERNAL', 'An unexpected error occurred', { errorId });
  }

  private fromHttpException(error: HttpException): Problem {
    const status = error.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    // e.g. a body the JSON parser refused: still name what was wrong, as VALIDATION_FAILED promises
    if (code === 'VALIDATION_FAILED') return problem(status, code, detail, { errors: [{ field: 'body', message: detail }] });
    return problem(status, code, detail);
  }
}

/** PostgreSQL's "untranslatable character" / "character not in repertoire" (a NUL in text or jsonb). */
function isUntranslatableText(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === '22P05' || code === '22021';
}
