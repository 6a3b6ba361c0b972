import { initialTransition, transition } from 'xstate';
import { intentsOf } from '../procedure';
import { referralMachine } from './referral.machine';
import type { Actor } from './referral.types';
import { referralWorkflow } from './referral.workflow';

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

describe('the supervision-report period', () => {
  const procurator: Actor = { userId: 'p', agencyId: 'pro', roles: ['procurator'], relations: ['oversight'], system: false };
  const [start] = initialTransition(referralMachine, { sourceAgencyId: 'agency', targetAgencyId: 'police' });

  it("is the listing's reportEveryDays in calendar days, read by the definition from the context", () => {
    const [listed, actions] = transition(referralMachine, start, {
      type: 'LIST_FOR_SUPERVISION',
      note: 'major case',
      reportEveryDays: 12,
      actor: procurator,
    });
    expect(intentsOf(actions)).toContainEqual({ type: 'scheduleDeadline', kind: 'supervision-report' });
    expect(referralWorkflow.periodOf('supervision-report', listed.context)).toEqual({ unit: 'calendar-days', length: 12 });
    expect(referralWorkflow.periodOf('supervision-report', start.context)).toBeNull();
  });

  it('DELIST names the other listing bodies in its notice, taken before the listing ends', () => {
    const supervisor: Actor = { ...procurator, userId: 's', agencyId: 'kunlun', roles: ['supervisor'] };
    const [listed] = transition(referralMachine, start, { type: 'LIST_FOR_SUPERVISION', note: 'x', actor: procurator });
    const [joined] = transition(referralMachine, listed, { type: 'LIST_FOR_SUPERVISION', note: 'y', actor: supervisor });
    const [, actions] = transition(referralMachine, joined, { type: 'DELIST', reason: 'done', actor: procurator });
    expect(intentsOf(actions)).toContainEqual({
      type: 'notify',
      parties: ['source', 'target'],
      template: 'delisted-from-supervision',
      agencyIds: ['kunlun'],
    });
  });
});
