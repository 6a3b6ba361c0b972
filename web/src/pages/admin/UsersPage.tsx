// Admin: users — list with filters and cursor paging, create, change roles or
// agency, deactivate and activate, reset a password. The roles offered fit the
// agency's kind (the service checks the same); its messages land on the fields.
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { useAgencies } from '../../api/queries';
import { ROLES, type Page, type Role, type User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Pill } from '../../components/Pill';
import { showProblem } from '../../lib/form-errors';
import { describeError } from '../../lib/problems';
import { ROLE_KINDS } from '../../lib/roles';

const PASSWORD_MIN = 12;

interface UserValues {
  username: string;
  displayName: string;
  password: string;
  agencyId: string;
  roles: Role[];
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user: me } = useAuth();
  const queryClient = useQueryClient();
  const agencies = useAgencies();
  const [params, setParams] = useSearchParams();
  const filters = {
    agencyId: params.get('agencyId') ?? undefined,
    role: (params.get('role') as Role | null) ?? undefined,
    active: (params.get('active') as 'true' | 'false' | null) ?? undefined,
  };
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [busy, setBusy] = useState<'create' | 'edit' | 'reset' | null>(null);
  const [createForm] = Form.useForm<UserValues>();
  const [editForm] = Form.useForm<Omit<UserValues, 'username' | 'password'>>();
  const [resetForm] = Form.useForm<{ newPassword: string }>();
  const createAgency = Form.useWatch('agencyId', createForm);
  const editAgency = Form.useWatch('agencyId', editForm);

  const users = useInfiniteQuery({
    queryKey: ['users', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<User>>(
        api.GET('/api/v1/users', {
          params: {
            query: {
              limit: 50,
              ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const kindOf = (agencyId: string | undefined) => agencies.data?.find((a) => a.id === agencyId)?.kind;
  const roleOptions = (agencyId: string | undefined) => {
    const kind = kindOf(agencyId);
    return ROLES.filter((r) => !kind || ROLE_KINDS[r].includes(kind)).map((r) => ({ value: r, label: t(`role.${r}`) }));
  };
  const agencyOptions = (agencies.data ?? [])
    .filter((a) => a.active !== false)
    .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }));

  const create = async (values: UserValues) => {
    setBusy('create');
    try {
      const created = await call<User>(api.POST('/api/v1/users', { body: values }));
      message.success(t('admin.users.created', { name: created.username }));
      setCreating(false);
      createForm.resetFields();
      void refresh();
    } catch (e) {
      const rest = showProblem(createForm, e, ['username', 'displayName', 'password', 'agencyId', 'roles'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(null);
    }
  };

  const patch = async (u: User, body: { displayName?: string; roles?: Role[]; agencyId?: string; active?: boolean }) =>
    call<User>(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body }));

  const save = async (values: Omit<UserValues, 'username' | 'password'>) => {
    if (!editing) return;
    setBusy('edit');
    try {
      await patch(editing, values);
      message.success(t('admin.saved'));
      setEditing(null);
      void refresh();
    } catch (e) {
      const rest = showProblem(editForm, e, ['displayName', 'agencyId', 'roles'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(null);
    }
  };

  const setActive = async (u: User, active: boolean) => {
    try {
      await patch(u, { active });
      message.success(active ? t('admin.activated', { name: u.username }) : t('admin.deactivated', { name: u.username }));
      void refresh();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const reset = async ({ newPassword }: { newPassword: string }) => {
    if (!resetting) return;
    setBusy('reset');
    try {
      await call(api.POST('/api/v1/users/{id}/password', { params: { path: { id: resetting.id } }, body: { newPassword } }));
      message.success(t('admin.users.passwordReset', { name: resetting.username }));
      setResetting(null);
      resetForm.resetFields();
    } catch (e) {
      const rest = showProblem(resetForm, e, ['newPassword'], t);
      if (rest) message.error(rest);
    } finally {
      setBusy(null);
    }
  };

  const passwordRules = [
    { required: true, message: t('admin.required') },
    { min: PASSWORD_MIN, message: t('password.tooShort') },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('admin.users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('admin.users.create')}
        </Button>
      </Flex>
      <Flex wrap gap="small">
        <Select
          aria-label={t('admin.users.agency')}
          placeholder={t('admin.users.agency')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filters.agencyId}
          onChange={(v) => setFilter('agencyId', v)}
          style={{ width: 260 }}
          options={(agencies.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
        />
        <Select
          aria-label={t('admin.users.role')}
          placeholder={t('admin.users.role')}
          allowClear
          value={filters.role}
          onChange={(v) => setFilter('role', v)}
          style={{ width: 160 }}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Select
          aria-label={t('admin.status')}
          placeholder={t('admin.status')}
          allowClear
          value={filters.active}
          onChange={(v) => setFilter('active', v)}
          style={{ width: 130 }}
          options={[
            { value: 'true', label: t('admin.active') },
            { value: 'false', label: t('admin.inactive') },
          ]}
        />
      </Flex>
      {users.error && <Alert type="error" showIcon title={describeError(users.error, t)} />}
      <Table<User>
        rowKey="id"
        loading={users.isLoading}
        dataSource={rows}
        pagination={false}
        size="small"
        scroll={{ x: 1000 }}
        columns={[
          { title: t('admin.users.username'), dataIndex: 'username', width: 150, render: (v: string) => <code>{v}</code> },
          { title: t('admin.users.displayName'), dataIndex: 'displayName', ellipsis: true },
          { title: t('admin.users.agency'), key: 'agency', ellipsis: true, render: (_, u) => u.agency.name },
          {
            title: t('admin.users.roles'),
            dataIndex: 'roles',
            render: (roles: Role[]) => roles.map((r) => <Pill key={r}>{t(`role.${r}`)}</Pill>),
          },
          {
            title: t('admin.status'),
            dataIndex: 'active',
            width: 90,
            render: (active: boolean | undefined) =>
              active === false ? <Pill tone="red">{t('admin.inactive')}</Pill> : <Pill tone="green">{t('admin.active')}</Pill>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 280,
            render: (_, u) => (
              <Space size="small" wrap>
                <Button
                  size="small"
                  aria-label={t('admin.users.editNamed', { name: u.username })}
                  onClick={() => {
                    setEditing(u);
                    editForm.setFieldsValue({ displayName: u.displayName, agencyId: u.agency.id, roles: u.roles });
                  }}
                >
                  {t('admin.edit')}
                </Button>
                <Button
                  size="small"
                  aria-label={t('admin.users.resetNamed', { name: u.username })}
                  onClick={() => setResetting(u)}
                >
                  {t('admin.users.resetPassword')}
                </Button>
                {u.id !== me?.id && (
                  <Popconfirm
                    title={
                      u.active === false
                        ? t('admin.confirmActivate', { name: u.username })
                        : t('admin.confirmDeactivate', { name: u.username })
                    }
                    onConfirm={() => setActive(u, u.active === false)}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                  >
                    <Button
                      size="small"
                      danger={u.active !== false}
                      aria-label={`${u.active === false ? t('admin.activate') : t('admin.deactivate')} ${u.username}`}
                    >
                      {u.active === false ? t('admin.activate') : t('admin.deactivate')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {users.hasNextPage && (
        <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}

      <Modal
        title={t('admin.users.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'create'}
        forceRender
      >
        <Form form={createForm} layout="vertical" onFinish={create} name="user-create">
          <Form.Item
            name="username"
            label={t('admin.users.username')}
            extra={t('admin.users.usernameHelp')}
            rules={[
              { required: true, message: t('admin.required') },
              { pattern: /^[A-Za-z0-9._@-]{3,64}$/, message: t('admin.users.usernameHelp') },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('admin.users.displayName')}
            rules={[{ required: true, max: 200, message: t('admin.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('admin.users.initialPassword')} rules={passwordRules}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="agencyId" label={t('admin.users.agency')} rules={[{ required: true, message: t('admin.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={agencyOptions}
              onChange={() => createForm.setFieldValue('roles', [])}
            />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('admin.users.roles')}
            rules={[{ required: true, message: t('admin.users.rolesRequired') }]}
          >
            <Checkbox.Group options={roleOptions(createAgency)} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('admin.users.edit', { name: editing?.username ?? '' })}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => editForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'edit'}
        forceRender
      >
        <Form form={editForm} layout="vertical" onFinish={save} name="user-edit">
          <Form.Item
            name="displayName"
            label={t('admin.users.displayName')}
            rules={[{ required: true, max: 200, message: t('admin.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="agencyId" label={t('admin.users.agency')} extra={t('admin.users.moveHelp')}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={agencyOptions}
              onChange={(id: string) => {
                const kind = kindOf(id);
                const roles: Role[] = editForm.getFieldValue('roles') ?? [];
                editForm.setFieldValue('roles', kind ? roles.filter((r) => ROLE_KINDS[r].includes(kind)) : roles);
              }}
            />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('admin.users.roles')}
            rules={[{ required: true, message: t('admin.users.rolesRequired') }]}
          >
            <Checkbox.Group options={roleOptions(editAgency)} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('admin.users.resetTitle', { name: resetting?.username ?? '' })}
        open={!!resetting}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'reset'}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('admin.users.resetHelp')}</Typography.Paragraph>
        <Form form={resetForm} layout="vertical" onFinish={reset} name="user-reset">
          <Form.Item name="newPassword" label={t('password.next')} rules={passwordRules}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
