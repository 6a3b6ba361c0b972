// Recommendations to transfer: incoming for an agency (it must transfer or
// explain), outgoing for the procuratorate that issued them; the region's for supervisors.
import { useTranslation } from 'react-i18next';
import { RECOMMENDATION_STATES } from '../api/types';
import { InstanceList } from '../components/InstanceList';

export default function RecommendationsPage() {
  const { t } = useTranslation();
  return (
    <InstanceList
      workflow="transfer-recommendation"
      title={t('rec.title')}
      states={RECOMMENDATION_STATES}
      empty={t('rec.empty')}
    />
  );
}
