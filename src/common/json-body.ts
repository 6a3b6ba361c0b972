// JSON request bodies, parsed strictly before anything else sees them (API.md
// "Errors"): over the size limit → 413; not UTF-8, malformed, nested deeper than
// MAX_JSON_DEPTH, a lone UTF-16 surrogate, or a `__proto__` / `constructor` /
// `prototype` key anywhere → 400. PostgreSQL would store a lone surrogate as
// U+FFFD and class-transformer drops prototype keys silently, so both are
// refused here rather than changed.
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { raw } from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { validationFailed } from './problem';

export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const JSON_TYPES = ['application/json', 'application/*+json'];

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const hasLoneSurrogate = (s: string) => LONE_SURROGATE.test(s);

const refuse = (message: string) => validationFailed([{ field: 'body', message }], 'The request body is not acceptable JSON');

/** Nesting depth of objects and arrays in JSON text, counted outside strings; stops once over `max`. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses a body as JSON under the rules above; throws a 400 DomainException otherwise. */
export function parseStrictJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw refuse('the body is not valid UTF-8');
  }
  if (text.trim() === '') return {}; // as body-parser: an empty JSON body is an empty object
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw refuse(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  let problem: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, function (key, v) {
      if (problem) return v;
      if (FORBIDDEN_KEYS.has(key)) problem = `the key "${key}" is not allowed`;
      else if (hasLoneSurrogate(key)) problem = 'a key contains a lone UTF-16 surrogate';
      else if (typeof v === 'string' && hasLoneSurrogate(v))
        problem = `${key ? `"${key}"` : 'a string'} contains a lone UTF-16 surrogate`;
      return v;
    });
  } catch (e) {
    throw refuse(`malformed JSON: ${(e as Error).message}`);
  }
  if (problem) throw refuse(problem);
  return value;
}

/** Body parsing as middleware: raw bytes up to the limit (413 beyond, from body-parser), then parseStrictJson. */
export function strictJsonBody(limit: number): RequestHandler {
  const readRaw = raw({ limit, type: JSON_TYPES });
  return (req: Request, res: Response, next: NextFunction) => {
    const contentType = req.header('content-type') ?? '';
    const charset = /;\s*charset="?([^;\s"]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && /json/i.test(contentType)) {
      return next(new UnsupportedMediaTypeException(`JSON bodies are UTF-8; charset ${charset} is not supported`));
    }
    readRaw(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!Buffer.isBuffer(req.body)) return next(); // not a JSON request: left to its route (multipart, none)
      try {
        req.body = parseStrictJson(req.body);
        next();
      } catch (e) {
        next(e);
      }
    });
  };
}
