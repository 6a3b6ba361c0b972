// Webhooks of the caller's agency (police-lead, agency-officer, admin): subscribe
// (the signing secret shown once), list, delete, and each subscription's
// deliveries with their status, attempts, last HTTP status and error.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { EVENT_TYPES } from '../api/types';
import { Pill, type Tone } from '../components/Pill';
import { SecretOnce } from '../components/SecretOnce';
import { showProblem } from '../lib/form-errors';
import { describeError } from '../lib/problems';
import { formatDateTime } from '../lib/time';
import { useLang } from '../lib/useLang';

type Webhook = components['schemas']['WebhookView'];
type Created = components['schemas']['CreatedWebhook'];
type Delivery = components['schemas']['DeliveryView'];
type EventType = components['schemas']['CreateWebhookDto']['eventTypes'][number];

const SUBSCRIBABLE = ['*', 'SUBMIT', 'ATTACHMENT_ADDED', ...EVENT_TYPES.filter((e) => e !== 'SUBMIT')] as EventType[];
const STATUS_TONE: Record<Delivery['status'], Tone> = { pending: 'blue', succeeded: 'green', failed: 'orange', dead: 'red' };

export default function WebhooksPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [selected, setSelected] = useState<Webhook | null>(null);
  const [form] = Form.useForm<{ url: string; eventTypes: EventType[] }>();

  const hooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => call<{ items: Webhook[] }>(api.GET('/api/v1/webhooks')),
  });
  const deliveries = useQuery({
    queryKey: ['webhooks', selected?.id, 'deliveries'],
    queryFn: () =>
      call<{ items: Delivery[] }>(
        api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: selected!.id }, query: { limit: 100 } } }),
      ),
    enabled: !!selected,
  });
  const eventLabel = (e: string) => (e === '*' ? t('webhooks.allEvents') : t(`event.${e}`, { defaultValue: e }));

  const create = async (values: { url: string; eventTypes: EventType[] }) => {
    setBusy(true);
    try {
      const created = await call<Created>(api.POST('/api/v1/webhooks', { body: values }));
      setCreating(false);
      form.resetFields();
      setSecret(created.secret);
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (e) {
      const rest = showProblem(form, e, ['url', 'eventTypes'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (hook: Webhook) => {
    try {
      await call(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: hook.id } } }));
      message.success(t('webhooks.deleted'));
      if (selected?.id === hook.id) setSelected(null);
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('webhooks.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('webhooks.create')}
        </Button>
      </Flex>
      <Typography.Paragraph style={{ margin: 0 }}>{t('webhooks.help')}</Typography.Paragraph>
      {hooks.error && <Alert type="error" showIcon title={describeError(hooks.error, t)} />}
      <Table<Webhook>
        rowKey="id"
        loading={hooks.isLoading}
        dataSource={hooks.data?.items ?? []}
        pagination={false}
        size="small"
        scroll={{ x: 800 }}
        columns={[
          { title: t('webhooks.url'), dataIndex: 'url', render: (v: string) => <span className="caselink-mono">{v}</span> },
          {
            title: t('webhooks.eventTypes'),
            dataIndex: 'eventTypes',
            render: (types: string[]) => types.map((e) => <Pill key={e}>{eventLabel(e)}</Pill>),
          },
          { title: t('admin.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_, h) => (
              <Space size="small">
                <Button size="small" aria-label={t('webhooks.deliveriesOf', { url: h.url })} onClick={() => setSelected(h)}>
                  {t('webhooks.deliveries')}
                </Button>
                <Popconfirm
                  title={t('webhooks.confirmDelete', { url: h.url })}
                  onConfirm={() => remove(h)}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger aria-label={t('webhooks.deleteOf', { url: h.url })}>
                    {t('common.remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />

      {selected && (
        <Card
          size="small"
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('webhooks.deliveriesOf', { url: selected.url })}</h2>}
          extra={
            <Space>
              <Button
                size="small"
                icon={<ReloadOutlined />}
                aria-label={t('common.refresh')}
                onClick={() => void deliveries.refetch()}
              />
              <Button size="small" onClick={() => setSelected(null)}>
                {t('webhooks.closeDeliveries')}
              </Button>
            </Space>
          }
        >
          {deliveries.error && <Alert type="error" showIcon title={describeError(deliveries.error, t)} />}
          <Table<Delivery>
            rowKey="id"
            loading={deliveries.isLoading}
            dataSource={deliveries.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            size="small"
            scroll={{ x: 900 }}
            columns={[
              { title: t('webhooks.event'), dataIndex: 'eventType', render: eventLabel },
              { title: t('webhooks.seq'), dataIndex: 'seq', width: 70 },
              {
                title: t('admin.status'),
                dataIndex: 'status',
                width: 110,
                render: (s: Delivery['status']) => <Pill tone={STATUS_TONE[s]}>{t(`webhooks.status.${s}`)}</Pill>,
              },
              { title: t('webhooks.attempts'), dataIndex: 'attempts', width: 90 },
              {
                title: t('webhooks.lastStatusCode'),
                dataIndex: 'lastStatusCode',
                width: 110,
                render: (v: number | null) => v ?? '—',
              },
              { title: t('webhooks.lastError'), dataIndex: 'lastError', ellipsis: true, render: (v: string | null) => v ?? '—' },
              { title: t('admin.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
              {
                title: t('webhooks.deliveredAt'),
                dataIndex: 'deliveredAt',
                width: 170,
                render: (v: string | null) => formatDateTime(v, lang),
              },
            ]}
          />
        </Card>
      )}

      <Modal
        title={t('webhooks.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={create} name="webhook-create" initialValues={{ eventTypes: ['*'] }}>
          <Form.Item
            name="url"
            label={t('webhooks.url')}
            extra={t('webhooks.urlHelp')}
            rules={[
              { required: true, message: t('admin.required') },
              { type: 'url', message: t('webhooks.urlHelp') },
              { max: 2000, message: t('webhooks.urlHelp') },
            ]}
          >
            <Input inputMode="url" autoComplete="off" placeholder="https://" />
          </Form.Item>
          <Form.Item
            name="eventTypes"
            label={t('webhooks.eventTypes')}
            rules={[{ required: true, message: t('admin.required') }]}
          >
            <Select mode="multiple" options={SUBSCRIBABLE.map((e) => ({ value: e, label: eventLabel(e) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <SecretOnce title={t('webhooks.createdTitle')} value={secret} onClose={() => setSecret(null)} />
    </Space>
  );
}
