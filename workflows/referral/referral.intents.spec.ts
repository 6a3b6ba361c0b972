import { initialTransition, transition } from 'xstate';
import { intentsOf } from '../procedure';
import { referralMachine } from './referral.machine';
import type { Actor } from './referral.types';

const lead: Actor = { userId: 'lead', agencyId: 'police', roles: ['police-lead'], relations: ['target'], system: false };

describe('intentsOf', () => {
  it('flattens the intents a transition returned to {type, ...params}', () => {
    const [start] = initialTransition(referralMachine, { sourceAgencyId: 'agency', targetAgencyId: 'police' });
    const [underReview] = transition(referralMachine, start, { type: 'ACKNOWLEDGE', actor: lead });
    const [, actions] = transition(referralMachine, underReview, {
      type: 'EXTEND_REVIEW',
      tier: 'verification',
      reason: 'needs verification',
      actor: lead,
    });
    expect(intentsOf(actions)).toEqual([
      { type: 'extendReview', tier: 'verification' },
      { type: 'notify', parties: ['source'], template: 'review-extended' },
    ]);
  });

  it("drops actions that are no intent (XState's built-ins) and keeps parameterless intents bare", () => {
    expect(intentsOf([{ type: 'cancelAllDeadlines' }, { type: 'xstate.raise', params: {} }])).toEqual([
      { type: 'cancelAllDeadlines' },
    ]);
  });
});
