// The chain view of one party (procurators and supervisors): the cases and parties
// reached from it in 1–3 party → case steps, the depth kept in the address.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Radio, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { ApiError, api, call } from '../api/client';
import type { Chain } from '../api/types';
import { ChainGraph } from '../components/ChainGraph';
import { PageLoading } from '../components/PageLoading';
import { describeError } from '../lib/problems';

const DEPTHS = [1, 2, 3] as const;

export default function ChainPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('depth'));
  const depth = DEPTHS.includes(asked as 1) ? asked : 2;

  const chain = useQuery({
    queryKey: ['chain', id, depth],
    queryFn: () => call<Chain>(api.GET('/api/v1/parties/{id}/chain', { params: { path: { id }, query: { depth } } as never })),
    placeholderData: (previous) => previous,
  });

  if (chain.isLoading) return <PageLoading />;
  if (chain.error && !chain.data) {
    const notFound = chain.error instanceof ApiError && chain.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={notFound ? t('chain.notFound') : describeError(chain.error, t)} />;
  }
  const c = chain.data!;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('chain.pageTitle', { name: c.party.name })}
        </Typography.Title>
        <Radio.Group
          aria-label={t('chain.depth')}
          optionType="button"
          value={depth}
          onChange={(e) => setParams({ depth: String(e.target.value) }, { replace: true })}
          options={DEPTHS.map((d) => ({ value: d, label: t('chain.depthN', { n: d }) }))}
        />
      </Flex>
      <Typography.Text type="secondary">{t('chain.help')}</Typography.Text>
      {chain.error && <Alert type="error" showIcon title={describeError(chain.error, t)} />}
      <Card size="small">
        <ChainGraph chain={c} focus={c.party.key} partyLinks height={520} />
      </Card>
    </Space>
  );
}
