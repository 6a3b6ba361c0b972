// Requests Node's HTTP parser refuses before Express sees them (headers over
// the size limit: 431; a malformed request line: 400) still get a problem+json
// answer with an X-Request-Id, as every other error does.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem.filter';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const detail = status === 431 ? 'The request headers are larger than the server accepts' : 'The HTTP request is malformed';
    const field = status === 431 ? 'headers' : 'request';
    const body = JSON.stringify({
      ...problem(status, 'VALIDATION_FAILED', detail, { errors: [{ field, message: detail }] }),
      title: STATUS_TEXT[status],
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
