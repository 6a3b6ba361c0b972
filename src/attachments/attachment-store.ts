// The bytes of attachments, content-addressed under DATA_DIR/attachments/<sha[0..2]>/<sha>:
// equal content is stored once, and a file's name is the hash it must still have.
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';

/** The stored bytes no longer hash to what was recorded at upload (or are gone). */
export class AttachmentIntegrityError extends Error {
  override name = 'AttachmentIntegrityError';
}

const READ_CHUNK = 1 << 16;
/** Temp files older than this were left by a process that died mid-upload. */
const STALE_TEMP_MS = 24 * 3600 * 1000;

@Injectable()
export class AttachmentStore implements OnModuleInit {
  private readonly logger = new Logger('AttachmentStore');
  readonly root: string;
  /** Uploads are streamed here first: the same filesystem as the store, so the move is a rename. */
  readonly tmpDir: string;

  constructor(config: AppConfig) {
    const dataDir = resolve(config.DATA_DIR);
    this.root = join(dataDir, 'attachments');
    this.tmpDir = join(dataDir, 'tmp');
  }

  /** Best effort at boot; only old files, as another process may be receiving an upload right now. */
  async onModuleInit(): Promise<void> {
    try {
      const cutoff = Date.now() - STALE_TEMP_MS;
      for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
        const path = join(this.tmpDir, name);
        if (name.endsWith('.part') && (await stat(path)).mtimeMs < cutoff) await rm(path, { force: true });
      }
    } catch (e) {
      this.logger.warn(`stale upload files not cleaned: ${(e as Error).message}`);
    }
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async ensureTmpDir(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    return this.tmpDir;
  }

  /**
   * Moves a fully written temp file to its content address. An existing file of
   * that hash is replaced by the same bytes (atomically): two uploads of the same
   * content leave one file, and a damaged copy is healed by a fresh upload.
   */
  async put(tempPath: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    await chmod(tempPath, 0o400); // evidence: nobody here writes to a stored file again
    await rename(tempPath, target);
    await syncDir(join(this.root, sha256.slice(0, 2))); // the rename itself survives a crash
  }

  /**
   * Opens the stored file, re-hashes it and, only if it still matches, returns a
   * stream of the same open file (a concurrent rename cannot swap the bytes
   * between the check and the sending).
   */
  async openVerified(sha256: string, size: number): Promise<Readable> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (e) {
      throw new AttachmentIntegrityError(`stored file ${sha256} cannot be opened: ${(e as Error).message}`);
    }
    try {
      const hash = createHash('sha256');
      const buffer = Buffer.alloc(READ_CHUNK);
      let position = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
      const actual = hash.digest('hex');
      if (actual !== sha256 || position !== size) {
        throw new AttachmentIntegrityError(
          `stored file ${sha256} does not match its record: sha256 ${actual}, ${position} bytes (recorded ${size} bytes)`,
        );
      }
      return handle.createReadStream({ start: 0, autoClose: true });
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
}

/** Best effort: some filesystems refuse fsync on a directory. */
async function syncDir(path: string): Promise<void> {
  try {
    const dir = await open(path, 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // the file itself was synced before the rename
  }
}
