import { useTranslation } from 'react-i18next';
import { Pill, type Tone } from './Pill';

const COLORS: Record<string, Tone> = {
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
};

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Pill tone={COLORS[state] ?? 'default'}>{t(`state.${state}`, { defaultValue: state })}</Pill>;
}
