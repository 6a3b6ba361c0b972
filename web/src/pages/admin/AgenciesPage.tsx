// Admin: the directory's agencies — list, create, rename, deactivate and activate.
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { useAgencies } from '../../api/queries';
import { AGENCY_KINDS, type Agency, type AgencyKind } from '../../api/types';
import { Pill } from '../../components/Pill';
import { showProblem } from '../../lib/form-errors';
import { describeError } from '../../lib/problems';

interface CreateValues {
  code: string;
  name: string;
  kind: AgencyKind;
  regionCode: string;
  parentId?: string;
}

export default function AgenciesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const agencies = useAgencies();
  const [kind, setKind] = useState<AgencyKind | undefined>();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Agency | null>(null);
  const [busy, setBusy] = useState<'create' | 'rename' | null>(null);
  const [createForm] = Form.useForm<CreateValues>();
  const [editForm] = Form.useForm<{ name: string }>();
  const byId = new Map((agencies.data ?? []).map((a) => [a.id, a]));
  const rows = (agencies.data ?? []).filter((a) => !kind || a.kind === kind);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['agencies'] });

  const create = async (values: CreateValues) => {
    setBusy('create');
    try {
      const created = await call<Agency>(
        api.POST('/api/v1/agencies', { body: { ...values, parentId: values.parentId || undefined } }),
      );
      message.success(t('admin.agencies.created', { name: created.name }));
      setCreating(false);
      createForm.resetFields();
      void refresh();
    } catch (e) {
      const rest = showProblem(createForm, e, ['code', 'name', 'kind', 'regionCode', 'parentId'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(null);
    }
  };

  const rename = async ({ name }: { name: string }) => {
    if (!editing) return;
    setBusy('rename');
    try {
      await call(api.PATCH('/api/v1/agencies/{id}', { params: { path: { id: editing.id } }, body: { name } }));
      message.success(t('admin.saved'));
      setEditing(null);
      void refresh();
    } catch (e) {
      const rest = showProblem(editForm, e, ['name'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(null);
    }
  };

  const setActive = async (agency: Agency, active: boolean) => {
    try {
      await call(api.PATCH('/api/v1/agencies/{id}', { params: { path: { id: agency.id } }, body: { active } }));
      message.success(active ? t('admin.activated', { name: agency.name }) : t('admin.deactivated', { name: agency.name }));
      void refresh();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('admin.agencies.title')}
        </Typography.Title>
        <Flex wrap gap="small">
          <Select
            aria-label={t('admin.agencies.kind')}
            placeholder={t('admin.agencies.kind')}
            allowClear
            value={kind}
            onChange={setKind}
            style={{ width: 160 }}
            options={AGENCY_KINDS.map((k) => ({ value: k, label: t(`agencyKind.${k}`) }))}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('admin.agencies.create')}
          </Button>
        </Flex>
      </Flex>
      {agencies.error && <Alert type="error" showIcon title={describeError(agencies.error, t)} />}
      <Table<Agency>
        rowKey="id"
        loading={agencies.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        size="small"
        scroll={{ x: 900 }}
        columns={[
          { title: t('admin.agencies.code'), dataIndex: 'code', width: 150, render: (v: string) => <code>{v}</code> },
          { title: t('admin.agencies.name'), dataIndex: 'name', ellipsis: true },
          { title: t('admin.agencies.kind'), dataIndex: 'kind', width: 110, render: (k: string) => t(`agencyKind.${k}`) },
          { title: t('admin.agencies.regionCode'), dataIndex: 'regionCode', width: 100 },
          {
            title: t('admin.agencies.parent'),
            dataIndex: 'parentId',
            ellipsis: true,
            render: (id: string | null) => (id ? (byId.get(id)?.name ?? id.slice(0, 8)) : '—'),
          },
          {
            title: t('admin.status'),
            dataIndex: 'active',
            width: 100,
            render: (active: boolean | undefined) =>
              active === false ? <Pill tone="red">{t('admin.inactive')}</Pill> : <Pill tone="green">{t('admin.active')}</Pill>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_, a) => (
              <Space size="small">
                <Button
                  size="small"
                  aria-label={t('admin.agencies.editNamed', { name: a.name })}
                  onClick={() => {
                    setEditing(a);
                    editForm.setFieldsValue({ name: a.name });
                  }}
                >
                  {t('admin.edit')}
                </Button>
                <Popconfirm
                  title={
                    a.active === false
                      ? t('admin.confirmActivate', { name: a.name })
                      : t('admin.confirmDeactivate', { name: a.name })
                  }
                  onConfirm={() => setActive(a, a.active === false)}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                >
                  <Button
                    size="small"
                    danger={a.active !== false}
                    aria-label={`${a.active === false ? t('admin.activate') : t('admin.deactivate')} ${a.name}`}
                  >
                    {a.active === false ? t('admin.activate') : t('admin.deactivate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />

      <Modal
        title={t('admin.agencies.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'create'}
        forceRender
      >
        <Form form={createForm} layout="vertical" onFinish={create} name="agency-create">
          <Form.Item
            name="code"
            label={t('admin.agencies.code')}
            extra={t('admin.agencies.codeHelp')}
            rules={[
              { required: true, message: t('admin.required') },
              { pattern: /^[A-Za-z0-9._-]{1,64}$/, message: t('admin.agencies.codeHelp') },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('admin.agencies.name')}
            rules={[{ required: true, max: 200, message: t('admin.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="kind" label={t('admin.agencies.kind')} rules={[{ required: true, message: t('admin.required') }]}>
            <Select options={AGENCY_KINDS.map((k) => ({ value: k, label: t(`agencyKind.${k}`) }))} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label={t('admin.agencies.regionCode')}
            extra={t('admin.agencies.regionHelp')}
            rules={[
              { required: true, message: t('admin.required') },
              { pattern: /^\d{6}$/, message: t('admin.agencies.regionHelp') },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="off" />
          </Form.Item>
          <Form.Item name="parentId" label={t('admin.agencies.parent')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(agencies.data ?? [])
                .filter((a) => a.active !== false)
                .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('admin.agencies.edit')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => editForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'rename'}
        forceRender
      >
        <Form form={editForm} layout="vertical" onFinish={rename} name="agency-edit">
          <Form.Item
            name="name"
            label={t('admin.agencies.name')}
            rules={[{ required: true, max: 200, message: t('admin.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
