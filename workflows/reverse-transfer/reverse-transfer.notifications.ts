// The notices the reverse transfer sends, by template name; the last four are
// shared with every procedure (the deadline processor sends deadline-escalated).
import { SHARED_TEMPLATES } from '../procedure';

export const NOTIFICATION_TEMPLATES = [
  'reverse-transfer-submitted',
  'reverse-transfer-acknowledged',
  'reverse-transfer-decided',
  'reverse-transfer-replied',
  'reverse-transfer-chased',
  'reverse-transfer-withdrawn',
  ...SHARED_TEMPLATES,
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];
