// Reads one multipart/form-data upload: the single file part is streamed to a
// temp file while its SHA-256 and size are computed, so an upload is never held
// in memory and never read twice. Beyond the byte limit nothing more is written
// (busboy stops passing data on); the rest of the body is drained so the client
// gets its answer on a healthy connection.
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { DomainException, validationFailed } from '../common/problem';

/** Enough leading bytes to recognise the formats we check by signature. */
const HEAD_BYTES = 16;

export interface ReceivedFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  head: Buffer;
  /** Over the limit: the temp file holds only the first `limit` + 1 bytes. */
  truncated: boolean;
  tempPath: string;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: ReceivedFile | null;
}

export interface UploadLimits {
  tmpDir: string;
  maxFileBytes: number;
  fileField: string;
}

const bad = (field: string, message: string) => validationFailed([{ field, message }]);

/**
 * Resolves once the whole body has been read. On success the caller owns
 * `file.tempPath` (move it or remove it); on failure no temp file is left.
 */
export function receiveUpload(req: Request, limits: UploadLimits): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(bad('body', 'the body must be multipart/form-data'));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8', // file names in UTF-8 (e.g. 涉嫌犯罪案件移送书.pdf), as browsers send them
      // busboy flags a file that *reaches* its limit; one byte more lets exactly maxFileBytes through.
      limits: { fileSize: limits.maxFileBytes + 1, files: 1, fields: 8, fieldSize: 1024, parts: 10, headerPairs: 20 },
    });
  } catch {
    return Promise.reject(bad('body', 'the multipart body is malformed (boundary missing?)'));
  }

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null); // field names are the client's
    let file: ReceivedFile | null = null;
    let writing: Promise<void> = Promise.resolve();
    let refusal: DomainException | undefined;
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume(); // drain what the client still sends
      parser.destroy(); // ends a file stream still open, so its writer stops and closes the temp file
      const tempPath = file?.tempPath;
      // The writer may still be flushing; remove the temp file once it has stopped.
      void writing
        .catch(() => undefined)
        .then(() => (tempPath ? rm(tempPath, { force: true }) : undefined))
        .catch(() => undefined);
      reject(error);
    };
    const refuse = (error: DomainException) => void (refusal ??= error);

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) return refuse(bad(name, 'the field is too long'));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== limits.fileField) {
        refuse(bad(name, `unknown file field; send the file as "${limits.fileField}"`));
        return void stream.resume();
      }
      const hash = createHash('sha256');
      const received: ReceivedFile = {
        filename: info.filename ?? '',
        contentType: info.mimeType.toLowerCase(),
        size: 0,
        sha256: '',
        head: Buffer.alloc(0),
        truncated: false,
        tempPath: join(limits.tmpDir, `${randomUUID()}.part`),
      };
      file = received;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          received.size += chunk.length;
          if (received.head.length < HEAD_BYTES) received.head = Buffer.concat([received.head, chunk]).subarray(0, HEAD_BYTES);
          done(null, chunk);
        },
      });
      writing = pipeline(stream, meter, createWriteStream(received.tempPath, { flags: 'wx', mode: 0o600 })).then(async () => {
        received.sha256 = hash.digest('hex');
        received.truncated = stream.truncated || received.size > limits.maxFileBytes;
        if (received.truncated) return; // refused: it will be removed, not kept
        // On disk before anyone is told the file is stored.
        const handle = await open(received.tempPath, 'r');
        await handle.sync().finally(() => handle.close());
      });
      writing.catch(fail); // e.g. disk full: stop at once rather than parse on
    });
    parser.on('filesLimit', () => refuse(bad(limits.fileField, 'send exactly one file')));
    parser.on('fieldsLimit', () => refuse(bad('body', 'too many fields')));
    parser.on('partsLimit', () => refuse(bad('body', 'too many parts')));
    parser.on('error', () => fail(bad('body', 'the multipart body is malformed')));
    parser.on('close', () => {
      writing.then(() => {
        if (settled) return;
        if (refusal) return fail(refusal);
        settled = true;
        resolve({ fields, file });
      }, fail);
    });
    // A client that goes away mid-upload: nobody waits for an answer, but the temp file must go.
    req.on('aborted', () => fail(bad('body', 'the upload was interrupted')));
    req.on('error', () => fail(bad('body', 'the upload was interrupted')));
    req.pipe(parser);
  });
}
