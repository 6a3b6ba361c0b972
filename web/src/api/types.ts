// The resources as API.md defines them. The OpenAPI document does not yet
// describe every response body; where it does, prefer components['schemas'].

export type AgencyKind = 'regulator' | 'police' | 'procuratorate' | 'supervisor';
export type Role = 'admin' | 'agency-officer' | 'police-officer' | 'police-lead' | 'procurator' | 'supervisor';

export interface Agency {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
  regionCode: string;
  parentId?: string | null;
  active?: boolean;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  agency: Agency;
  active?: boolean;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export interface Suspect {
  kind: 'person' | 'organization';
  name: string;
  idNumber?: string;
}

export interface Deadline {
  id: string;
  kind: string;
  dueAt: string;
  status: 'pending' | 'met' | 'breached' | 'paused' | 'cancelled';
  responsibleAgencyId: string;
  legalBasis: string;
  taskId?: string | null;
  calendarIncomplete?: boolean;
  provisional?: boolean;
  escalationLevel?: number;
}

export interface RectificationTask {
  id: string;
  agencyId: string;
  description: string;
  dueAt: string;
  status: string;
}

export interface TransferPackage {
  transferLetter: boolean;
  investigationReport: boolean;
  itemInventory: boolean;
  testReports: boolean;
}

export interface Referral {
  id: string;
  referenceNo: string;
  state: string;
  stateDetail: string;
  outcome: string | null;
  version: number;
  domain: string;
  title: string;
  summary: string;
  suspects: Suspect[];
  amountInvolved: string | null;
  offence?: string | null;
  legalBasis?: string | null;
  campaign: string | null;
  externalRef?: string | null;
  sourceAgency: Agency;
  targetAgency: Agency;
  regionCode: string;
  flags: string[];
  deadlines: Deadline[];
  rectificationTasks: RectificationTask[];
  transferPackage?: TransferPackage;
  allowedEvents: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TimelineEvent {
  seq: number;
  type: string;
  actor: { userId: string | null; agencyId: string | null; system: boolean; displayName?: string; username?: string };
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  hash: string;
  prevHash: string | null;
}

export interface Verification {
  valid: boolean;
  events: number;
  headHash: string;
  firstBadSeq?: number;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  kind: string;
  createdAt?: string;
}

export interface Notification {
  id: string;
  type: string;
  referralId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
  allowedEvents?: string[];
  retryAfterSeconds?: number;
}

export const DOMAINS = [
  'food',
  'drug',
  'medical-device',
  'cosmetics',
  'environment',
  'intellectual-property',
  'wildlife',
  'agriculture',
  'natural-resources',
  'biosecurity',
  'other',
] as const;

export const STATES = [
  'submitted',
  'under-review',
  'supplement-requested',
  'reviewed',
  'declined',
  'reconsideration',
  'procuratorial-supervision',
  'accepted',
  'joint-rectification',
  'closed',
  'withdrawn',
] as const;

export const ATTACHMENT_KINDS = ['transfer-letter', 'investigation-report', 'item-inventory', 'test-report', 'other'] as const;

export const DEADLINE_KINDS = [
  'acknowledge',
  'review',
  'supplement',
  'evidence-handover',
  'reconsideration-window',
  'reconsideration-decision',
  'police-reasons',
  'filing-order',
  'investigation-progress',
  'rectification',
] as const;

export const EVENT_TYPES = [
  'SUBMIT',
  'ACKNOWLEDGE',
  'REQUEST_SUPPLEMENT',
  'SUPPLEMENT',
  'FORWARD',
  'EXTEND_REVIEW',
  'RECORD_REVIEW',
  'RETURN_TO_REVIEW',
  'ACCEPT',
  'DECLINE',
  'REQUEST_RECONSIDERATION',
  'UPHOLD_DECLINE',
  'REQUEST_SUPERVISION',
  'ACCEPT_DECISION',
  'REQUIRE_REASONS',
  'SUBMIT_REASONS',
  'ORDER_FILING',
  'UPHOLD_NON_FILING',
  'HANDOVER_EVIDENCE',
  'START_JOINT_RECTIFICATION',
  'REPORT_PROGRESS',
  'COMPLETE_TASK',
  'COMPLETE_RECTIFICATION',
  'CLOSE',
  'WITHDRAW',
  'LIST_FOR_SUPERVISION',
  'COMMENT',
  'DEADLINE_REMINDER',
  'DEADLINE_EXPIRED',
  'ATTACHMENT_ADDED',
] as const;

export const ROLES: Role[] = ['admin', 'agency-officer', 'police-officer', 'police-lead', 'procurator', 'supervisor'];
export const AGENCY_KINDS: AgencyKind[] = ['regulator', 'police', 'procuratorate', 'supervisor'];
