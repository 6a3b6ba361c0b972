// The referral page's part of the chain (issue 11 §1): its parties and every case
// sharing one, from GET /referrals/:id/links, drawn by ChainGraph. Loaded with
// ECharts only when the page shows it.
import { useQuery } from '@tanstack/react-query';
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { CaseNode, ChainEdge, Links, Referral } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { describeError } from '../lib/problems';
import { ChainGraph, type ChainData } from './ChainGraph';

/** A links answer as a chain: the referral itself, its parties, and every case sharing one. */
export function linksChain(referral: Referral, links: Links): ChainData {
  const self: CaseNode = {
    key: `referral:${referral.id}`,
    type: 'referral',
    inScope: true,
    id: referral.id,
    referenceNo: referral.referenceNo,
    title: referral.title,
    state: referral.state,
    regionCode: referral.regionCode,
    targetAgency: { ...referral.targetAgency, regionCode: referral.regionCode },
  };
  const cases = new Map<string, CaseNode>([[self.key, self]]);
  const edges: ChainEdge[] = links.parties.map((p) => ({
    source: p.key,
    target: self.key,
    match: p.identified ? 'confirmed' : 'possible',
  }));
  const partyKey = new Map(links.parties.map((p) => [p.id, p.key]));
  for (const l of links.links) {
    cases.set(l.case.key, l.case);
    edges.push({ source: partyKey.get(l.partyId) ?? `party:${l.partyId}`, target: l.case.key, match: l.match });
  }
  return { parties: links.parties, cases: [...cases.values()], edges };
}

export default function ReferralChain({ referral }: { referral: Referral }) {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const links = useQuery({
    queryKey: ['referral', referral.id, 'links'],
    queryFn: () => call<Links>(api.GET('/api/v1/referrals/{id}/links', { params: { path: { id: referral.id } } })),
  });
  if (links.error) return <Alert type="error" showIcon title={describeError(links.error, t)} />;
  if (!links.data) return null;
  if (!links.data.parties.length) return <Typography.Text type="secondary">{t('chain.noParties')}</Typography.Text>;
  return (
    <>
      {!links.data.links.length && <Typography.Paragraph type="secondary">{t('chain.noLinks')}</Typography.Paragraph>}
      <ChainGraph
        chain={linksChain(referral, links.data)}
        focus={`referral:${referral.id}`}
        partyLinks={hasRole('procurator', 'supervisor')}
        height={360}
      />
    </>
  );
}
