// What may be uploaded as which document of the transfer package (DOMAIN.md
// "Documents"), and how the declared content type is checked against the bytes.
import { ApiProperty } from '@nestjs/swagger';

export const ATTACHMENT_KINDS = ['transfer-letter', 'investigation-report', 'item-inventory', 'test-report', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

const PDF = 'application/pdf';
const OFD = 'application/ofd'; // GB/T 33190, the format of Chinese official e-documents
const JPEG = 'image/jpeg';
const PNG = 'image/png';
const CSV = 'text/csv';
const XLS = 'application/vnd.ms-excel';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOC = 'application/msword';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TEXT = 'text/plain';

// Letters and reports are signed and stamped documents: a PDF/OFD or a scan of one.
const DOCUMENT = [PDF, OFD, JPEG, PNG];

export const ALLOWED_CONTENT_TYPES: Record<AttachmentKind, readonly string[]> = {
  'transfer-letter': DOCUMENT,
  'investigation-report': DOCUMENT,
  'test-report': DOCUMENT,
  'item-inventory': [...DOCUMENT, CSV, XLS, XLSX],
  other: [...DOCUMENT, CSV, XLS, XLSX, DOC, DOCX, TEXT],
};

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // OOXML and OFD are zip containers
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // legacy Office

/** Leading bytes a file of the type must start with; types not listed (text) are not checked. */
const SIGNATURES: Record<string, number[]> = {
  [PDF]: [...Buffer.from('%PDF-')],
  [PNG]: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [JPEG]: [0xff, 0xd8, 0xff],
  [OFD]: ZIP,
  [XLSX]: ZIP,
  [DOCX]: ZIP,
  [XLS]: OLE,
  [DOC]: OLE,
};

/** A declared type whose bytes say otherwise is refused, so the stored type can be trusted when served. */
export function matchesSignature(contentType: string, head: Buffer): boolean {
  const signature = SIGNATURES[contentType];
  return !signature || (head.length >= signature.length && signature.every((byte, i) => head[i] === byte));
}

/** The transfer-package checklist shown on a referral: which required documents are attached. */
export class TransferPackage {
  @ApiProperty() transferLetter: boolean;
  @ApiProperty() investigationReport: boolean;
  @ApiProperty() itemInventory: boolean;
  @ApiProperty() testReports: boolean;
}

export function transferPackageOf(kinds: Iterable<string>): TransferPackage {
  const present = new Set(kinds);
  return {
    transferLetter: present.has('transfer-letter'),
    investigationReport: present.has('investigation-report'),
    itemInventory: present.has('item-inventory'),
    testReports: present.has('test-report'),
  };
}
