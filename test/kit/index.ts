// The e2e test kit in one import: a scenario (app + world + referral builder), the test
// clock, a webhook receiver, polling, and the problem+json assertions.
export { testClock, type TestClock } from './clock';
export {
  asSuperuserBypassingTriggers,
  countRows,
  expectProblem,
  expectValidationFailed,
  kit,
  PROBLEM_CODES,
  type ProblemCode,
  type RowCounts,
} from './e2e-kit';
export { ReferralBuilder, scenario, useScenario, type Caller, type ReferralBody, type Scenario } from './scenario';
export { expectValidSignature, WebhookReceiver, type Received } from './webhook-receiver';
export { eventually, until } from '../support/until';
export { registerCampaign, WORLD_CAMPAIGNS } from '../support/world';
export {
  issueRecommendation,
  mustSend,
  RECOMMENDATIONS,
  recordAdminCase,
  REVERSE_TRANSFERS,
  reverseTransferBody,
  sendTo,
  startReverseTransfer,
} from './linkage';
