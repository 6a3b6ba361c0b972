// The notices the transfer recommendation sends, by template name; the last four
// are shared with every procedure (the deadline processor sends deadline-escalated).
import { SHARED_TEMPLATES } from '../procedure';

export const NOTIFICATION_TEMPLATES = [
  'recommendation-issued',
  'recommendation-transferred',
  'recommendation-explained',
  'explanation-accepted',
  'recommendation-insisted',
  'recommendation-withdrawn',
  ...SHARED_TEMPLATES,
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];
