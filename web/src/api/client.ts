// The one API client: typed paths from the OpenAPI document (schema.d.ts,
// `npm run gen:api`), the bearer token on every call, and one place that
// notices an expired session (401).
import createClient from 'openapi-fetch';
import { session } from '../auth/session';
import type { paths } from './schema';
import type { Problem } from './types';

export const api = createClient<paths>({ baseUrl: '' });

let onUnauthorized: () => void = () => undefined;
/** Called on a 401 from any call but the sign-in itself: the session ended (expired, signed out elsewhere…). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

api.use({
  onRequest({ request }) {
    const token = session.token;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    // Never the browser's HTTP cache: a referral's ETag is its version, which a new link to it
    // (a reverse transfer started from it) does not change, so a revalidated copy would hide the link.
    return new Request(request, { cache: 'no-store' });
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/auth/login')) onUnauthorized();
    return response;
  },
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

async function problemOf(response: Response, body: unknown): Promise<Problem> {
  if (body && typeof body === 'object') return { status: response.status, ...(body as object) } as Problem;
  return { status: response.status, title: response.statusText };
}

/** The body of a successful call, typed by the caller; a problem+json answer becomes an ApiError. */
export async function call<T>(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ApiError(response.status, await problemOf(response, error));
  return data as T;
}

/** Same-origin fetch with the token, for what openapi-fetch does not cover (text, bytes). */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session.token) headers.set('Authorization', `Bearer ${session.token}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new ApiError(response.status, await problemOf(response, body));
  }
  return response;
}

/** multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadAttachment(
  referralId: string,
  file: File,
  kind: string,
  onProgress: (percent: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/referrals/${encodeURIComponent(referralId)}/attachments`);
    if (session.token) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(body);
      } else {
        if (xhr.status === 401) onUnauthorized();
        reject(new ApiError(xhr.status, { status: xhr.status, ...(body as object) }));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { status: 0, title: 'Network error' }));
    const form = new FormData();
    form.append('kind', kind); // before the file: the service reads the fields as a stream
    form.append('file', file);
    xhr.send(form);
  });
}

/** Saves an attachment's bytes (the content endpoint needs the bearer token, so a plain link cannot). */
export async function downloadAttachment(referralId: string, attachmentId: string, filename: string): Promise<void> {
  const response = await authorizedFetch(
    `/api/v1/referrals/${encodeURIComponent(referralId)}/attachments/${encodeURIComponent(attachmentId)}/content`,
  );
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
