// One reverse transfer (行刑反向衔接): why the case came back (the basis, the
// criminal-side decision, a procuratorial opinion) and the agency's decision on
// the penalty.
import { useTranslation } from 'react-i18next';
import type { ReverseTransfer } from '../api/types';
import { InstanceView } from '../components/InstanceView';
import { penaltyKinds } from '../components/Penalties';

export default function ReverseTransferPage() {
  const { t } = useTranslation();
  return (
    <InstanceView<ReverseTransfer>
      workflow="reverse-transfer"
      facts={(r) => [
        [t('reverse.basis'), t(`basis.${r.facts.basis}`)],
        [t('reverse.criminalDecisionNo'), r.facts.criminalDecisionNo ?? '—'],
        [t('reverse.procuratorialOpinion'), r.facts.procuratorialOpinion ? t('common.yes') : t('common.no')],
        [t('reverse.reasons'), r.facts.reasons],
        ...(r.facts.opinion ? [[t('reverse.opinion'), r.facts.opinion] as [string, string]] : []),
      ]}
      record={(r) => {
        const d = r.record.decision;
        return [
          [t('form.decision'), d ? t(`decision.${d.decision}`) : t('reverse.undecided')],
          ...(d
            ? ([
                [t('form.decisionNo'), d.decisionNo ?? '—'],
                [t('form.penaltyKinds'), penaltyKinds(d.penaltyKinds, t)],
                [t('form.fineAmount'), d.fineAmount ? `¥${d.fineAmount}` : '—'],
                [t('form.decisionReasons'), d.reasons],
              ] as [string, string][])
            : []),
          [t('reverse.chaseCount'), String(r.record.chaseCount)],
        ];
      }}
    />
  );
}
