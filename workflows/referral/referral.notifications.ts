// The notices the referral procedure sends, by template name. The machine's
// notify() and the deadline processor's escalation take their names from this
// list, and the inbox texts are a Record over it (notification-texts.ts): a
// template without a text, or a misspelt one, does not compile.
export const NOTIFICATION_TEMPLATES = [
  'referral-submitted',
  'referral-acknowledged',
  'supplement-requested',
  'materials-supplemented',
  'referral-forwarded',
  'referral-elevated',
  'referral-designated',
  'review-extended',
  'referral-declined',
  'reconsideration-requested',
  'supervision-requested',
  'reasons-required',
  'reasons-submitted',
  'filing-ordered',
  'referral-accepted',
  'evidence-handed-over',
  'rectification-started',
  'rectification-progress',
  'rectification-task-completed',
  'referral-closed',
  'referral-withdrawn',
  'listed-for-supervision',
  'supervision-listing-joined',
  'supervision-progress-reported',
  'delisted-from-supervision',
  'comment-added',
  'deadline-reminder',
  'deadline-breached',
  // sent by the deadline processor when a breach stays unresolved, not by a transition
  'deadline-escalated',
  // sent when a new case states a party another case states (src/parties)
  'linked-cases-found',
  // sent when a case group (src/case-groups) is formed or changed
  'case-group-changed',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];
