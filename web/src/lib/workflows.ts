// The workflows the console shows (GET /api/v1/workflows): where each one's page
// lives and where its words are. The referral's states and events are at
// state.* / event.*; the others' under a prefix of their own, since the same
// name means another step there (a recommendation's TRANSFER, its WITHDRAW).
export const WORKFLOW_PATHS: Record<string, string> = {
  referral: '/referrals',
  'transfer-recommendation': '/recommendations',
  'reverse-transfer': '/reverse-transfers',
};

const PREFIX: Record<string, string> = { referral: '', 'transfer-recommendation': 'rec.', 'reverse-transfer': 'rt.' };

/** `state.issued` of a recommendation → `rec.state.issued`; the referral's keys unchanged. */
export function wordKey(workflow: string, key: string): string {
  return `${PREFIX[workflow] ?? ''}${key}`;
}

/** The page of an instance of any workflow. */
export function instancePath(workflow: string, id: string): string {
  return `${WORKFLOW_PATHS[workflow] ?? '/referrals'}/${id}`;
}

/** The event that starts an instance: its payload is the facts the page shows above the timeline. */
export const START_EVENTS: Record<string, string> = {
  referral: 'SUBMIT',
  'transfer-recommendation': 'ISSUE',
  'reverse-transfer': 'TRANSFER',
};
