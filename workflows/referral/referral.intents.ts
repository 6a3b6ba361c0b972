// What a transition asked for: the machine's actions, less XState's own
// built-ins (assign, raise…), as Intent objects the engine writes as rows.
import { INTENT_TYPES, type Intent } from './referral.types';

const INTENT_SET = new Set<string>(INTENT_TYPES);

/** The intents among the actions a transition returned, each flattened to {type, ...params}. */
export function intentsOf(actions: readonly { type: string; params?: unknown }[]): Intent[] {
  return actions.filter((a) => INTENT_SET.has(a.type)).map((a) => ({ type: a.type, ...((a.params as object) ?? {}) }) as Intent);
}
