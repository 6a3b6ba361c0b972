// The web console (web/, built by Vite into web/dist) at `/`: its files, and
// index.html for every other page address a browser opens (SPA fallback). The
// API, /docs, /docs-json, /metrics, /health and /admin/queues keep their paths;
// without a built console the service runs as before, API only.
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** In web/index.html's <meta name="csp-nonce">, replaced on every page load. */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

const SERVICE_PATHS = /^\/(api|docs|docs-json|metrics|health|admin)(\/|$)/;

/** web/dist beside the repository's package.json: the same from src/ (ts-jest) and dist/src/ (node). */
export function consoleDir(): string {
  return process.env.CONSOLE_DIR ?? resolve(process.cwd(), 'web', 'dist');
}

export function serveConsole(app: INestApplication, dir: string = consoleDir()): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Console').log(`no console at ${dir} (npm run build makes it): API only`);
    return false;
  }
  const page = readFileSync(index, 'utf8');
  const express = app as NestExpressApplication;
  // Hashed file names under /assets never change; index.html is looked at on every load.
  express.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  express.useStaticAssets(dir, { index: false });
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (SERVICE_PATHS.test(req.path) || req.path.startsWith('/assets/')) return next(); // a missing asset is a 404, not the page
    // A page load (the browser asks for HTML); API clients asking for JSON at a wrong address still get the 404.
    if (req.path !== '/' && !(req.headers.accept ?? '').includes('text/html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    // The page carries this response's style nonce (ops.setup.ts), for antd's CSS-in-JS.
    const nonce = String(res.locals.cspNonce ?? '');
    res.type('html').send(page.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
  return true;
}
