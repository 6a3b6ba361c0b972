// Evidence files on a referral: upload (streamed, hashed, stored by content),
// listing and verified download. Scope as for the referral itself: outside it a
// referral and its files do not exist (404).
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { FINAL_STATES } from '../../workflows/referral/referral.types';
import type { Principal } from '../auth/principal';
import { visibleReferrals } from '../auth/scope';
import { readReferral } from '../referrals/referrals.repository';
import { Clock } from '../common/clock';
import { DomainException, forbidden, notFound, validationFailed } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import { ALLOWED_CONTENT_TYPES, ATTACHMENT_KINDS, matchesSignature, type AttachmentKind } from './attachment-kinds';
import { AttachmentIntegrityError, AttachmentStore } from './attachment-store';
import { receiveUpload, type ReceivedFile } from './multipart-upload';

export const ATTACHMENT_ADDED = 'ATTACHMENT_ADDED';

export class UploadedBy {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
}

export class AttachmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '移送函.pdf' }) filename: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty({ example: 182034, description: 'bytes' }) size: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'hex SHA-256 of the content' }) sha256: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS }) kind: AttachmentKind;
  @ApiProperty({ type: UploadedBy }) uploadedBy: UploadedBy;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AttachmentList {
  @ApiProperty({ type: [AttachmentView] }) items: AttachmentView[];
}

interface AttachmentRow {
  id: string;
  kind: AttachmentKind;
  filename: string;
  content_type: string;
  size: string; // bigint
  sha256: string;
  uploaded_by: string;
  agency_id: string;
  created_at: Date;
}

// Common aliases some clients send, mapped to the registered type.
// A Map: a client's "constructor" must not find Object.prototype's.
const CONTENT_TYPE_ALIASES = new Map([
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['application/x-pdf', 'application/pdf'],
  ['application/csv', 'text/csv'],
]);

const MAX_FILENAME_LENGTH = 255;

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly store: AttachmentStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Who may upload is checked before a byte is read, and again under the
   * referral's lock (a FORWARD in between changes the target). The file is in the
   * store before the row commits: a failed commit leaves at worst an unreferenced
   * file, never a row without its bytes.
   */
  async upload(principal: Principal, referralId: string, req: Request): Promise<AttachmentView> {
    this.checkMayUpload(principal, await readReferral(this.db, visibleReferrals(principal), referralId, 'referral'));
    const limit = this.config.MAX_UPLOAD_BYTES;
    const { fields, file } = await receiveUpload(req, {
      tmpDir: await this.store.ensureTmpDir(),
      maxFileBytes: limit,
      fileField: 'file',
    });
    try {
      if (file?.truncated) {
        throw new DomainException(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than the limit of ${limit} bytes; nothing was stored`,
          {
            limit,
          },
        );
      }
      const { kind, received, contentType, filename } = this.validate(fields, file);
      await this.store.put(received.tempPath, received.sha256);
      return await this.db.transaction(async (tx) => {
        const id = randomUUID();
        // The engine locks the referral and checks scope; a FORWARD since the first check is seen here.
        const locked = await this.engine.lock(tx, referralId, principal, undefined, 'referral');
        this.checkMayUpload(principal, {
          sourceAgencyId: locked.row.sourceAgencyId,
          targetAgencyId: locked.row.targetAgencyId,
          state: locked.row.state,
        });
        await this.engine.recordFact(tx, locked, principal, ATTACHMENT_ADDED, {
          attachmentId: id,
          kind,
          filename,
          contentType,
          size: received.size,
          sha256: received.sha256,
        });
        const [row]: AttachmentRow[] = await tx.query(
          `INSERT INTO attachments (id, referral_id, kind, filename, content_type, size, sha256, uploaded_by, agency_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          [
            id,
            referralId,
            kind,
            filename,
            contentType,
            received.size,
            received.sha256,
            principal.userId,
            principal.agency.id,
            this.clock.now(),
          ],
        );
        return attachmentView(row);
      });
    } finally {
      // Moved into the store, or refused: either way the temp file has no further use.
      if (file) await rm(file.tempPath, { force: true });
    }
  }

  async list(principal: Principal, referralId: string): Promise<AttachmentList> {
    await readReferral(this.db, visibleReferrals(principal), referralId, 'referral');
    const rows: AttachmentRow[] = await this.db.query(
      `SELECT * FROM attachments WHERE referral_id = $1 ORDER BY created_at, id`,
      [referralId],
    );
    return { items: rows.map(attachmentView) };
  }

  /** The attachment and its bytes, re-hashed first: a mismatch is a 500 (with errorId, logged), never wrong bytes. */
  async openContent(
    principal: Principal,
    referralId: string,
    attachmentId: string,
  ): Promise<{ attachment: AttachmentView; stream: Readable }> {
    // The referral first: which of the two is missing is only told to those who may see it.
    await readReferral(this.db, visibleReferrals(principal), referralId, 'referral');
    const [row]: AttachmentRow[] = await this.db.query(`SELECT * FROM attachments WHERE id = $1 AND referral_id = $2`, [
      attachmentId,
      referralId,
    ]);
    if (!row) throw notFound('Attachment');
    const attachment = attachmentView(row);
    try {
      return { attachment, stream: await this.store.openVerified(attachment.sha256, attachment.size) };
    } catch (e) {
      if (e instanceof AttachmentIntegrityError) {
        // The problem filter logs this line with the errorId it answers with.
        throw new AttachmentIntegrityError(`attachment ${attachment.id} of referral ${referralId}: ${e.message}`);
      }
      throw e;
    }
  }

  /** The two parties of the transfer add evidence; overseers and task agencies read it. */
  private checkMayUpload(
    principal: Principal,
    referral: { sourceAgencyId: string; targetAgencyId: string; state: string },
  ): void {
    if (principal.agency.id !== referral.sourceAgencyId && principal.agency.id !== referral.targetAgencyId) {
      throw forbidden('Only the source or the target agency of the referral adds attachments');
    }
    // A finished procedure takes only comments (API.md): no new evidence.
    if ((FINAL_STATES as readonly string[]).includes(referral.state)) {
      throw new DomainException(
        'TRANSITION_NOT_ALLOWED',
        `The referral is ${referral.state}: attachments can no longer be added`,
        {
          allowedEvents: ['COMMENT'],
        },
      );
    }
  }

  private validate(fields: Record<string, string>, file: ReceivedFile | null) {
    const unknown = Object.keys(fields).filter((name) => name !== 'kind');
    if (unknown.length > 0) {
      throw validationFailed(
        unknown.map((field) =>
          field === 'file'
            ? { field, message: 'send the file as a file part (with a filename)' }
            : { field, message: `property ${field} should not exist` },
        ),
      );
    }
    const kind = fields.kind as AttachmentKind;
    if (!ATTACHMENT_KINDS.includes(kind)) {
      throw validationFailed([{ field: 'kind', message: `kind must be one of: ${ATTACHMENT_KINDS.join(', ')}` }]);
    }
    if (!file) throw validationFailed([{ field: 'file', message: 'a file is required (multipart field "file")' }]);
    if (file.size === 0) throw validationFailed([{ field: 'file', message: 'the file is empty' }]);
    const declared = file.contentType.split(';')[0].trim();
    const contentType = CONTENT_TYPE_ALIASES.get(declared) ?? declared;
    const allowed = ALLOWED_CONTENT_TYPES[kind];
    if (!allowed.includes(contentType)) {
      throw validationFailed([
        {
          field: 'file',
          message: `content type ${declared || '(none)'} is not accepted for ${kind}; accepted: ${allowed.join(', ')}`,
        },
      ]);
    }
    if (!matchesSignature(contentType, file.head)) {
      throw validationFailed([{ field: 'file', message: `the file's content is not ${contentType}` }]);
    }
    return { kind, received: file, contentType, filename: cleanFilename(file.filename) };
  }
}

/** The client's file name as a label only: no directories, no control characters, bounded length. */
export function cleanFilename(raw: string): string {
  const name = basename(raw.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return [...name].slice(0, MAX_FILENAME_LENGTH).join('') || 'attachment';
}

function attachmentView(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    kind: row.kind,
    uploadedBy: { userId: row.uploaded_by, agencyId: row.agency_id },
    createdAt: row.created_at.toISOString(),
  };
}
