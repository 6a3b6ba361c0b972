import { useTranslation } from 'react-i18next';
import { wordKey } from '../lib/workflows';
import { Pill, type Tone } from './Pill';

export const STATE_TONES: Record<string, Tone> = {
  submitted: 'blue',
  'under-review': 'blue',
  'supplement-requested': 'orange',
  reviewed: 'cyan',
  declined: 'red',
  reconsideration: 'gold',
  'procuratorial-supervision': 'purple',
  accepted: 'green',
  'joint-rectification': 'green',
  closed: 'default',
  withdrawn: 'default',
  // recommendations and reverse transfers
  issued: 'blue',
  'explanation-submitted': 'gold',
  insisted: 'orange',
  transferred: 'cyan',
  received: 'blue',
  decided: 'cyan',
  replied: 'default',
};

export function StateTag({ state, workflow = 'referral' }: { state: string; workflow?: string }) {
  const { t } = useTranslation();
  return <Pill tone={STATE_TONES[state] ?? 'default'}>{t(wordKey(workflow, `state.${state}`), { defaultValue: state })}</Pill>;
}
