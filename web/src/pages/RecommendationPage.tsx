// One recommendation to transfer (检察意见 建议移送): the procuratorate's reasons
// and the screening it was issued on; the agency's explanation or the referral
// it transferred; the procuratorate's insisting.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Recommendation } from '../api/types';
import { InstanceView } from '../components/InstanceView';

export default function RecommendationPage() {
  const { t } = useTranslation();
  return (
    <InstanceView<Recommendation>
      workflow="transfer-recommendation"
      facts={(r) => [
        [t('rec.caseNo'), r.adminCaseId ? <Link to={`/admin-cases/${r.adminCaseId}`}>{r.facts.caseNo}</Link> : r.facts.caseNo],
        [t('screening.flag'), r.facts.screeningFlag ? t(`screening.${r.facts.screeningFlag}`) : '—'],
        [t('rec.reasons'), r.facts.reasons],
        [
          t('screening.reasons'),
          r.facts.screeningReasons?.length ? (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {r.facts.screeningReasons.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          ) : (
            '—'
          ),
        ],
      ]}
      record={(r) => [
        [
          t('rec.referral'),
          r.record.referralId ? <Link to={`/referrals/${r.record.referralId}`}>{t('rec.openReferral')}</Link> : '—',
        ],
        [t('rec.insistCount'), String(r.record.insistCount)],
        [t('rec.explanation'), r.record.explanation ?? '—'],
      ]}
    />
  );
}
