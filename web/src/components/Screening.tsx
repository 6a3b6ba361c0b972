// A case's screening: flagged (a rule of the Criminal Law's thresholds is met),
// near (a threshold nearly reached), or nothing.
import { useTranslation } from 'react-i18next';
import { Pill } from './Pill';

export function ScreeningFlag({ flag }: { flag: string | null }) {
  const { t } = useTranslation();
  if (!flag) return <>{t('screening.none')}</>;
  return <Pill tone={flag === 'flagged' ? 'red' : 'gold'}>{t(`screening.${flag}`, { defaultValue: flag })}</Pill>;
}
