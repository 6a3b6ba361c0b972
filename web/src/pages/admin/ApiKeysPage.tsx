// Admin: API keys for system-to-system clients — create (the key shown once),
// list (never the key, only its prefix), revoke.
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useAgencies } from '../../api/queries';
import type { components } from '../../api/schema';
import { ROLES, type Role } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Pill } from '../../components/Pill';
import { SecretOnce } from '../../components/SecretOnce';
import { showProblem } from '../../lib/form-errors';
import { describeError } from '../../lib/problems';
import { ROLE_KINDS } from '../../lib/roles';
import { formatDateTime } from '../../lib/time';
import { useLang } from '../../lib/useLang';

type ApiKey = components['schemas']['ApiKeyDto'];
type Created = components['schemas']['CreatedApiKeyDto'];
type KeyRole = Exclude<Role, 'admin'>;
const KEY_ROLES = ROLES.filter((r): r is KeyRole => r !== 'admin');

export default function ApiKeysPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const agencies = useAgencies();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; roles: KeyRole[]; agencyId?: string }>();
  const agencyId = Form.useWatch('agencyId', form);

  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => call<{ items: ApiKey[] }>(api.GET('/api/v1/api-keys')),
  });
  const agencyName = (id: string) => agencies.data?.find((a) => a.id === id)?.name ?? id.slice(0, 8);
  const kind = agencies.data?.find((a) => a.id === (agencyId ?? user?.agency.id))?.kind;

  const create = async (values: { name: string; roles: KeyRole[]; agencyId?: string }) => {
    setBusy(true);
    try {
      const created = await call<Created>(
        api.POST('/api/v1/api-keys', { body: { ...values, agencyId: values.agencyId || undefined } }),
      );
      setCreating(false);
      form.resetFields();
      setShown(created.key);
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (e) {
      const rest = showProblem(form, e, ['name', 'roles', 'agencyId'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: ApiKey) => {
    try {
      await call(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id } } }));
      message.success(t('admin.keys.revoked', { name: key.name }));
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('admin.keys.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('admin.keys.create')}
        </Button>
      </Flex>
      <Typography.Paragraph style={{ margin: 0 }}>{t('admin.keys.help')}</Typography.Paragraph>
      {keys.error && <Alert type="error" showIcon title={describeError(keys.error, t)} />}
      <Table<ApiKey>
        rowKey="id"
        loading={keys.isLoading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        size="small"
        scroll={{ x: 1000 }}
        columns={[
          { title: t('admin.keys.name'), dataIndex: 'name', ellipsis: true },
          { title: t('admin.keys.prefix'), dataIndex: 'keyPrefix', width: 150, render: (v: string) => <code>{v}…</code> },
          {
            title: t('admin.users.roles'),
            dataIndex: 'roles',
            render: (roles: Role[]) => roles.map((r) => <Pill key={r}>{t(`role.${r}`)}</Pill>),
          },
          { title: t('admin.users.agency'), dataIndex: 'agencyId', ellipsis: true, render: agencyName },
          { title: t('admin.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
          {
            title: t('admin.keys.lastUsed'),
            dataIndex: 'lastUsedAt',
            width: 170,
            render: (v: string | null) => formatDateTime(v, lang),
          },
          {
            title: t('admin.status'),
            dataIndex: 'revokedAt',
            width: 190,
            render: (v: string | null) =>
              v ? (
                <Pill tone="red">{t('admin.keys.revokedAt', { at: formatDateTime(v, lang) })}</Pill>
              ) : (
                <Pill tone="green">{t('admin.active')}</Pill>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_, k) =>
              !k.revokedAt && (
                <Popconfirm
                  title={t('admin.keys.confirmRevoke', { name: k.name })}
                  onConfirm={() => revoke(k)}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger aria-label={t('admin.keys.revokeNamed', { name: k.name })}>
                    {t('admin.keys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />

      <Modal
        title={t('admin.keys.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={create} name="key-create">
          <Form.Item
            name="name"
            label={t('admin.keys.name')}
            rules={[{ required: true, max: 200, message: t('admin.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="agencyId" label={t('admin.users.agency')} extra={t('admin.keys.agencyHelp')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              onChange={() => form.setFieldValue('roles', [])}
              options={(agencies.data ?? [])
                .filter((a) => a.active !== false)
                .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
            />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('admin.users.roles')}
            rules={[{ required: true, message: t('admin.users.rolesRequired') }]}
          >
            <Checkbox.Group
              options={KEY_ROLES.filter((r) => !kind || ROLE_KINDS[r].includes(kind)).map((r) => ({
                value: r,
                label: t(`role.${r}`),
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <SecretOnce title={t('admin.keys.createdTitle')} value={shown} onClose={() => setShown(null)} />
    </Space>
  );
}
