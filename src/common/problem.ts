// Domain errors carry a code from API.md's error table; one filter maps them to problem+json.
import { HttpStatus } from '@nestjs/common';

export type ProblemCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'TRANSITION_NOT_ALLOWED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'ALREADY_EXISTS'
  | 'VERSION_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ProblemCode, number> = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  TRANSITION_NOT_ALLOWED: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.CONFLICT,
  ALREADY_EXISTS: HttpStatus.CONFLICT,
  VERSION_CONFLICT: HttpStatus.PRECONDITION_FAILED,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainException extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = STATUS[code];
  }
}

export const notFound = (what = 'Resource') => new DomainException('NOT_FOUND', `${what} not found`);
export const forbidden = (detail: string) => new DomainException('FORBIDDEN', detail);
export const validationFailed = (errors: FieldError[], detail = 'The request is not valid') =>
  new DomainException('VALIDATION_FAILED', detail, { errors });
