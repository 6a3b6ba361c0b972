import { Controller, Get, HttpCode, Logger, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { ATTACHMENT_KINDS } from './attachment-kinds';
import { AttachmentList, AttachmentsService, AttachmentView } from './attachments.service';

// Malformed ids are "not found", as for referrals: existence is never leaked.
const referralId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Referral') });
const attachmentId = new ParseUUIDPipe({ exceptionFactory: () => notFound('Attachment') });

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

@ApiTags('attachments')
@ApiBearerAuth()
@ApiParam({ name: 'id', format: 'uuid', description: 'the referral' })
@Controller('api/v1/referrals/:id/attachments')
export class AttachmentsController {
  private readonly logger = new Logger('Attachments');

  constructor(private readonly attachments: AttachmentsService) {}

  // The body is read by the service as a stream (no interceptor buffers it), after the scope check.
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload an evidence file',
    description: 'Refused (409) on closed and withdrawn referrals. The content type must match the bytes and the kind.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ type: AttachmentView })
  @ApiProblems(400, 403, 404, 409, 413)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: [...ATTACHMENT_KINDS] } },
    },
  })
  upload(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string, @Req() req: Request) {
    return this.attachments.upload(principal, id, req);
  }

  @Get()
  @ApiOperation({ summary: "A referral's attachments" })
  @ApiOkResponse({ type: AttachmentList })
  @ApiProblems(404)
  list(@CurrentPrincipal() principal: Principal, @Param('id', referralId) id: string) {
    return this.attachments.list(principal, id);
  }

  @Get(':attachmentId/content')
  @ApiParam({ name: 'attachmentId', format: 'uuid' })
  @ApiOperation({ summary: "An attachment's bytes, verified against its sha256 before sending" })
  @ApiOkResponse({
    description: 'the stored bytes, with the stored Content-Type; ETag and Repr-Digest carry the sha256',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(404)
  async content(
    @CurrentPrincipal() principal: Principal,
    @Param('id', referralId) id: string,
    @Param('attachmentId', attachmentId) fileId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { attachment, stream } = await this.attachments.openContent(principal, id, fileId);
    res.status(200).set({
      'Content-Type': attachment.contentType,
      'Content-Length': String(attachment.size),
      'Content-Disposition': contentDisposition(attachment.filename),
      ETag: `"${attachment.sha256}"`,
      'Repr-Digest': `sha-256=:${Buffer.from(attachment.sha256, 'hex').toString('base64')}:`, // RFC 9530
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
    // Headers are out: a failure now (client gone) can only end the connection.
    await pipeline(stream, res).catch((e: Error) =>
      this.logger.warn(`attachment ${attachment.id}: sending stopped: ${e.message}`),
    );
  }
}
