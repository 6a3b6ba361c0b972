// The operational pieces that sit in front of Nest's routing, installed by
// bootstrap right after the app is created: the JSON logger, HTTP timing,
// security headers and the queue dashboard.
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';
import { mountQueueBoard, QUEUE_BOARD_PATH } from './queue-board';

export function setUpOps(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.flushLogs(); // what Nest buffered while creating the app (bufferLogs), now as JSON
  const trustProxy = app.get(AppConfig).TRUST_PROXY;
  // req.ip is the rate limits' key: behind a load balancer it must be the client's, not the balancer's.
  if (trustProxy) app.getHttpAdapter().getInstance().set('trust proxy', parseTrustProxy(trustProxy));
  app.use(app.get(MetricsService).httpMiddleware());
  app.use(securityHeaders());
  mountQueueBoard(app);
}

// Swagger UI and Bull Board are pages with inline scripts and styles: no
// Content-Security-Policy there; every other helmet header everywhere.
const UI_PATHS = new RegExp(`^(/docs|${QUEUE_BOARD_PATH})(/|$)`);

export function securityHeaders(): RequestHandler {
  const overHttps = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...CONSOLE_CSP, upgradeInsecureRequests: [] } },
  });
  // Plain HTTP (a LAN address, a dev machine): upgrading would send the page's own requests to an https:// that is not there.
  const overHttp = helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP } });
  const pages = helmet({ contentSecurityPolicy: false });
  return (req: Request, res: Response, next: NextFunction) =>
    (UI_PATHS.test(req.path) ? pages : req.secure ? overHttps : overHttp)(req, res, next);
}

/**
 * What a single-page console served from this origin needs, and nothing else: its scripts, styles, images,
 * fonts and API calls (including SSE) from 'self', data: images and fonts, workers from 'self' or blob:.
 * Inline styles are allowed: antd writes its component styles into <style> elements at run time (CSS-in-JS)
 * and Mermaid's statechart SVG carries its own <style>; without them the console renders unstyled.
 * No inline scripts, no other origin, no plugins; framed only by itself (as X-Frame-Options: SAMEORIGIN).
 */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
};

/** `2` → two hops, `true` → any, anything else → addresses and subnets (Express's own syntax). */
export function parseTrustProxy(value: string): number | boolean | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
