// JSON logs (pino via nestjs-pino): one line per event, each request's lines
// carrying its X-Request-Id, and no secrets or suspect ID numbers in them.
// Request bodies are never logged; the redaction below is for whatever an
// object logged elsewhere (an error's context, a job's data) might carry.
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdTimeFunctions, type DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';

export const REDACTED = '[redacted]';

/** Credentials in the request and response headers that pino-http logs (fast-redact paths, after serializers). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

// Field names never logged with their value, at any depth of a logged plain object or array.
const SENSITIVE_KEYS = new Set(['password', 'newpassword', 'secret', 'token', 'accesstoken', 'apikey', 'idnumber']);
const MAX_DEPTH = 10;

/** A copy of `value` with every sensitive field's value replaced (only what changes is copied; class instances are left alone). */
export function scrubSensitive(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => scrubSensitive(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // a request, an error: their serializers decide
  let copy: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    const next = SENSITIVE_KEYS.has(key.toLowerCase()) ? REDACTED : scrubSensitive(v, depth + 1);
    if (next !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/** Drops a `token` query parameter (the queue dashboard's one-time sign-in) from a logged URL. */
export function scrubUrl(url: string | undefined): string | undefined {
  if (!url || !/[?&]token=/.test(url)) return url;
  return url.replace(/([?&]token=)[^&#]*/g, `$1${REDACTED}`);
}

export function loggerParams(config: AppConfig, destination: DestinationStream = process.stdout): Params {
  return {
    pinoHttp: [
      {
        level: config.LOG_LEVEL,
        base: { service: 'caselink', pid: process.pid, hostname: hostname() },
        timestamp: stdTimeFunctions.isoTime,
        formatters: {
          level: (label) => ({ level: label }),
          log: (object) => scrubSensitive(object) as Record<string, unknown>,
        },
        redact: { paths: REDACT_PATHS, censor: REDACTED },
        // The request-id middleware (bootstrap) has already chosen the id and set the header.
        genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
        customAttributeKeys: { reqId: 'requestId' },
        // Lines logged while handling a request carry its id, not the whole request again.
        quietReqLogger: true,
        serializers: {
          // The URL already carries the query; route params are the URL again.
          req: (req: { id?: string; method?: string; url?: string; remoteAddress?: string; headers?: object }) => ({
            id: req.id,
            method: req.method,
            url: scrubUrl(req.url),
            remoteAddress: req.remoteAddress,
            headers: req.headers,
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
          err || res.statusCode >= 500 ? 'error' : 'info',
        // Scrapes and probes every few seconds would drown the rest.
        autoLogging: { ignore: (req: IncomingMessage) => /^\/(metrics|health\/)/.test(req.url ?? '') },
      },
      destination,
    ],
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
