// Bull Board at /admin/queues: every BullMQ queue, for admins only.
//
// Authentication: the API's own JWT with the `admin` role, sent as
// `Authorization: Bearer …` (scripts, curl), or, since a browser cannot add a
// header to a page load, opened once as /admin/queues?token=… : the token is
// then moved into an HttpOnly, SameSite=Strict cookie scoped to /admin/queues
// and the browser is redirected to the same address without it (so it does not
// stay in the address bar, history or logs). The cookie lives as long as the
// token. Anything else: 401 (no, bad, expired or revoked token, deactivated
// user) or 403 (not an admin now), as problem+json. Every request is checked
// like an API call (Sessions): roles as stored now, revocation included.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Authenticated, Sessions } from '../auth/sessions.service';
import { problem } from '../common/problem.filter';
import { DomainException, type ProblemCode } from '../common/problem';
import { isUnavailableError } from '../common/unavailable';
import { QueueService } from '../queues/queue.service';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'caselink_queues_token';

export function mountQueueBoard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(app.get(QueueService).queues).map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 ships its own copy of @bull-board/api's types: same shape, different declarations.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
  });
  app.use(QUEUE_BOARD_PATH, adminOnly(app.get(Sessions, { strict: false })), serverAdapter.getRouter());
}

export function adminOnly(sessions: Sessions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const [scheme, bearer] = (req.header('authorization') ?? '').split(' ');
    const fromQuery = typeof req.query.token === 'string' && req.query.token ? req.query.token : undefined;
    const fromCookie = readCookie(req, QUEUE_BOARD_COOKIE);
    const token = (scheme === 'Bearer' && bearer) || fromQuery || fromCookie;
    if (!token)
      return deny(
        res,
        401,
        'UNAUTHENTICATED',
        'An admin token is required (Bearer header, or open this page once with ?token=…)',
      );

    sessions.authenticateBearer(token).then(
      ({ principal, credential }: Authenticated) => {
        if (!principal.roles.includes('admin')) return deny(res, 403, 'FORBIDDEN', 'The queue dashboard is for admins');
        if (token === fromQuery) {
          const maxAge = Math.max(0, Math.floor((credential.expiresAt! - Date.now()) / 1000));
          const url = new URL(req.originalUrl, 'http://caselink.invalid');
          url.searchParams.delete('token');
          res.setHeader('Set-Cookie', cookie(req, token, maxAge));
          res.setHeader('Cache-Control', 'no-store');
          return res.redirect(303, url.pathname + url.search);
        }
        next();
      },
      (e: unknown) => {
        if (e instanceof DomainException && e.code === 'UNAUTHENTICATED') {
          if (token === fromCookie) res.setHeader('Set-Cookie', cookie(req, '', 0));
          return deny(res, 401, 'UNAUTHENTICATED', e.message);
        }
        if (isUnavailableError(e)) return deny(res, 503, 'UNAVAILABLE', 'The database is unreachable');
        deny(res, 500, 'INTERNAL', 'An unexpected error occurred');
      },
    );
  };
}

function deny(res: Response, status: number, code: ProblemCode, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, code, detail)));
}

export function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  const secure = req.secure ? '; Secure' : '';
  return `${QUEUE_BOARD_COOKIE}=${value}; Path=${QUEUE_BOARD_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
