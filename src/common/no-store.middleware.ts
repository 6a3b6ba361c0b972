// API answers are never cached or answered 304. Their ETag is the instance's version,
// the token If-Match checks; it does not cover what a view derives (deadlines, links,
// allowedEvents for this caller), so Express must not treat it as a cache validator.
import type { NextFunction, Request, Response } from 'express';

export function noStore(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api/')) {
    delete req.headers['if-none-match'];
    delete req.headers['if-modified-since'];
    res.setHeader('Cache-Control', 'no-store');
  }
  next();
}
