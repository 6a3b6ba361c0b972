// The campaign register (issue 11 §4): every signed-in user reads it; admins and
// supervisors register and change campaigns (the API keeps a supervisor's inside its
// region and says so); overseers open a campaign's dashboard from here.
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useAgencies } from '../api/queries';
import type { components } from '../api/schema';
import { DOMAINS } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { showProblem } from '../lib/form-errors';
import { describeError } from '../lib/problems';

type Campaign = components['schemas']['CampaignView'];
type CampaignPage = components['schemas']['CampaignPage'];

interface Values {
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  domains: Campaign['domains'];
  regionCodes: string[];
  leadingAgencyIds?: string[];
}

const FIELDS = ['code', 'name', 'startsOn', 'endsOn', 'domains', 'regionCodes', 'leadingAgencyIds'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export default function CampaignsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { hasRole } = useAuth();
  const queryClient = useQueryClient();
  const agencies = useAgencies();
  const [form] = Form.useForm<Values>();
  // null: closed; 'new': registering; a campaign: changing it
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const writes = hasRole('admin', 'supervisor');
  const oversees = hasRole('admin', 'supervisor', 'procurator');

  const list = useInfiniteQuery({
    queryKey: ['campaigns'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<CampaignPage>(
        api.GET('/api/v1/campaigns', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const agencyName = (id: string) => agencies.data?.find((a) => a.id === id)?.name ?? id.slice(0, 8);

  const open = (c: Campaign | 'new') => {
    form.resetFields();
    if (c !== 'new') form.setFieldsValue({ ...c });
    setEditing(c);
  };

  const save = async (v: Values) => {
    setBusy(true);
    try {
      const body = { ...v, leadingAgencyIds: v.leadingAgencyIds ?? [] };
      if (editing === 'new') {
        const created = await call<Campaign>(api.POST('/api/v1/campaigns', { body }));
        message.success(t('campaigns.created', { name: created.name }));
      } else if (editing) {
        const { code: _code, ...change } = body;
        await call<Campaign>(
          api.PATCH('/api/v1/campaigns/{code}', {
            params: { path: { code: editing.code }, header: { 'If-Match': `"${editing.version}"` } as never },
            body: change,
          }),
        );
        message.success(t('admin.saved'));
      }
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    } catch (e) {
      const rest = showProblem(form, e, FIELDS, t);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('campaigns.title')}
        </Typography.Title>
        {writes && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('campaigns.create')}
          </Button>
        )}
      </Flex>
      {list.error && <Alert type="error" showIcon title={describeError(list.error, t)} />}
      <Table<Campaign>
        rowKey="id"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        size="small"
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('campaigns.empty')}</Typography.Text> }}
        columns={[
          {
            title: t('campaigns.code'),
            dataIndex: 'code',
            width: 170,
            render: (code: string) => (oversees ? <Link to={`/campaigns/${code}`}>{code}</Link> : <code>{code}</code>),
          },
          { title: t('campaigns.name'), dataIndex: 'name', ellipsis: true },
          {
            title: t('campaigns.period'),
            key: 'period',
            width: 200,
            render: (_, c) => `${c.startsOn} – ${c.endsOn}`,
          },
          {
            title: t('campaigns.domains'),
            dataIndex: 'domains',
            render: (ds: string[]) => ds.map((d) => t(`domain.${d}`)).join(t('campaigns.separator')),
          },
          { title: t('campaigns.regions'), dataIndex: 'regionCodes', width: 150, render: (rs: string[]) => rs.join(', ') },
          {
            title: t('campaigns.leading'),
            dataIndex: 'leadingAgencyIds',
            ellipsis: true,
            render: (ids: string[]) => (ids.length ? ids.map(agencyName).join(t('campaigns.separator')) : '—'),
          },
          ...(writes || oversees
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 190,
                  render: (_: unknown, c: Campaign) => (
                    <Space size="small">
                      {oversees && <Link to={`/campaigns/${c.code}`}>{t('campaigns.dashboard')}</Link>}
                      {writes && (
                        <Button size="small" aria-label={t('campaigns.editNamed', { code: c.code })} onClick={() => open(c)}>
                          {t('admin.edit')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}

      <Modal
        title={editing === 'new' ? t('campaigns.create') : t('campaigns.edit')}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={save} name="campaign">
          <Form.Item
            name="code"
            label={t('campaigns.code')}
            extra={t('campaigns.codeHelp')}
            rules={[
              { required: true, message: t('admin.required') },
              { pattern: /^[a-z0-9-]{1,64}$/, message: t('campaigns.codeHelp') },
            ]}
          >
            <Input autoComplete="off" disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="name" label={t('campaigns.name')} rules={[{ required: true, max: 100, message: t('admin.required') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Flex gap="small">
            <Form.Item
              name="startsOn"
              label={t('campaigns.startsOn')}
              style={{ flex: 1 }}
              rules={[{ required: true, pattern: DATE, message: t('campaigns.dateHelp') }]}
            >
              <Input placeholder="YYYY-MM-DD" autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="endsOn"
              label={t('campaigns.endsOn')}
              style={{ flex: 1 }}
              rules={[{ required: true, pattern: DATE, message: t('campaigns.dateHelp') }]}
            >
              <Input placeholder="YYYY-MM-DD" autoComplete="off" />
            </Form.Item>
          </Flex>
          <Form.Item name="domains" label={t('campaigns.domains')} rules={[{ required: true, message: t('admin.required') }]}>
            <Select mode="multiple" options={DOMAINS.map((d) => ({ value: d, label: t(`domain.${d}`) }))} />
          </Form.Item>
          <Form.Item
            name="regionCodes"
            label={t('campaigns.regions')}
            extra={t('campaigns.regionsHelp')}
            rules={[{ required: true, message: t('admin.required') }]}
          >
            <Select mode="tags" tokenSeparators={[',', ' ']} suffixIcon={null} />
          </Form.Item>
          <Form.Item name="leadingAgencyIds" label={t('campaigns.leading')}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
