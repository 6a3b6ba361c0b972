// A case group (并案): its members' states and deadlines in one table, the parties
// that link them, and its history. A member outside the caller's scope is a row with
// the police unit holding it only. Police leads of the lead or forming unit remove
// members and dissolve the group here; members are added from a referral's page.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Descriptions, Form, Input, Result, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, call } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { ActionDialog } from '../components/ActionDialog';
import { Countdown } from '../components/Countdown';
import { PageLoading } from '../components/PageLoading';
import { Pill } from '../components/Pill';
import { Section } from '../components/ProcedureParts';
import { StateTag } from '../components/StateTag';
import { mayChangeGroup, type CaseGroup, type CaseGroupHistoryEntry, type CaseGroupMember } from '../lib/caseGroups';
import { describeError } from '../lib/problems';
import { formatDateTime, formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';

function ReasonDialog({
  label,
  action,
  onSubmit,
}: {
  label: string;
  action: string;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <ActionDialog<{ reason: string }>
      label={label}
      action={action}
      fields={['reason']}
      onSubmit={(v) => onSubmit(v.reason.trim())}
    >
      <Form.Item
        name="reason"
        label={t('form.reason')}
        rules={[{ required: true, whitespace: true, message: t('submit.required') }]}
      >
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </ActionDialog>
  );
}

export default function CaseGroupPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const group = useQuery({
    queryKey: ['case-group', id],
    queryFn: () => call<CaseGroup>(api.GET('/api/v1/case-groups/{id}', { params: { path: { id } } })),
  });

  if (group.isLoading) return <PageLoading />;
  if (group.error) {
    const notFound = group.error instanceof ApiError && group.error.status === 404;
    return (
      <Result status={notFound ? '404' : 'error'} title={notFound ? t('caseGroup.notFound') : describeError(group.error, t)} />
    );
  }
  const g = group.data!;
  const ifMatch = { 'If-Match': `"${g.version}"` } as never;
  const changed = (next: CaseGroup, done: string) => {
    queryClient.setQueryData(['case-group', id], next);
    void queryClient.invalidateQueries({ queryKey: ['case-groups'] });
    void queryClient.invalidateQueries({ queryKey: ['referral'] });
    void message.success(done);
  };
  const remove = async (member: CaseGroupMember, reason: string) => {
    const next = await call<CaseGroup>(
      api.DELETE('/api/v1/case-groups/{id}/members/{referralId}', {
        params: { path: { id, referralId: member.id! }, query: { reason }, header: ifMatch },
      }),
    );
    changed(next, t('caseGroup.removed', { referenceNo: member.referenceNo }));
  };
  const dissolve = async (reason: string) => {
    const next = await call<CaseGroup>(
      api.POST('/api/v1/case-groups/{id}/dissolve', { params: { path: { id }, header: ifMatch }, body: { reason } }),
    );
    changed(next, t('caseGroup.dissolvedDone'));
  };
  const may = mayChangeGroup(g, user);

  return (
    <div>
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {g.name}
        </Typography.Title>
        <Pill tone={g.open ? 'blue' : 'default'}>{t(g.open ? 'caseGroup.open' : 'caseGroup.dissolved')}</Pill>
        {may && <ReasonDialog label={t('caseGroup.dissolve')} action="dissolve-case-group" onSubmit={dissolve} />}
      </Space>

      <Section title={t('caseGroup.facts')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('caseGroup.leadAgency')}>{g.leadAgency.name}</Descriptions.Item>
          <Descriptions.Item label={t('caseGroup.createdBy')}>
            {g.createdBy.displayName ?? '—'}（{g.createdBy.agency.name}）
          </Descriptions.Item>
          <Descriptions.Item label={t('caseGroup.createdAt')}>{formatDateTime(g.createdAt, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('referral.version')}>{g.version}</Descriptions.Item>
          <Descriptions.Item label={t('caseGroup.reason')} span={2}>
            {g.reason}
          </Descriptions.Item>
          {g.dissolvedAt && (
            <Descriptions.Item label={t('caseGroup.dissolvedAt')} span={2}>
              {formatDateTime(g.dissolvedAt, lang)} · {g.dissolveReason}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Section>

      <Section title={t('caseGroup.members')}>
        <Typography.Paragraph type="secondary">{t('caseGroup.membersHelp')}</Typography.Paragraph>
        <Table<CaseGroupMember>
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={g.members}
          data-testid="case-group-members"
          columns={[
            {
              title: t('referral.referenceNo'),
              render: (_, m) =>
                m.inScope ? (
                  <Link to={`/referrals/${m.id}`}>{m.referenceNo}</Link>
                ) : (
                  <Typography.Text type="secondary">{t('caseGroup.outOfScope')}</Typography.Text>
                ),
            },
            { title: t('queue.titleCol'), render: (_, m) => m.title ?? '—', ellipsis: true },
            { title: t('referral.state'), width: 130, render: (_, m) => (m.state ? <StateTag state={m.state} /> : '—') },
            {
              title: t('caseGroup.holdingUnit'),
              render: (_, m) => (m.inScope ? m.targetAgency?.name : `${m.holdingAgency?.name}（${m.holdingAgency?.regionCode}）`),
            },
            {
              title: t('referral.deadlines'),
              width: 300,
              render: (_, m) =>
                m.deadlines && m.deadlines.length > 0 ? (
                  <Space orientation="vertical" size={2}>
                    {m.deadlines.map((d) => (
                      <span key={d.id}>
                        {t(`deadlineKind.${d.kind}`, { defaultValue: d.kind })} · {formatDue(d.dueAt, lang)}{' '}
                        {d.status === 'breached' ? (
                          <Pill tone="red">{t('deadlineStatus.breached')}</Pill>
                        ) : (
                          <Countdown dueAt={d.dueAt} paused={d.status === 'paused'} />
                        )}
                      </span>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
            },
            ...(may
              ? [
                  {
                    title: t('caseGroup.actions'),
                    width: 120,
                    render: (_: unknown, m: CaseGroupMember) =>
                      m.inScope && g.members.length > 2 ? (
                        <ReasonDialog
                          label={t('caseGroup.remove')}
                          action={`remove-member-${m.referenceNo}`}
                          onSubmit={(reason) => remove(m, reason)}
                        />
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Section>

      <Section title={t('caseGroup.sharedParties')}>
        <Table
          size="small"
          rowKey={(p) => p.party.id}
          pagination={false}
          dataSource={g.sharedParties}
          columns={[
            { title: t('caseGroup.party'), render: (_, p) => p.party.name },
            { title: t('caseGroup.identifier'), render: (_, p) => p.party.identifier ?? '—' },
            { title: t('caseGroup.match'), render: (_, p) => t(`caseGroup.matchKind.${p.match}`) },
            { title: t('caseGroup.memberCount'), render: (_, p) => p.members.length },
          ]}
        />
      </Section>

      <Section title={t('caseGroup.history')}>
        <Table<CaseGroupHistoryEntry>
          size="small"
          rowKey={(h) => `${h.action}-${h.at}-${h.referral?.id ?? ''}`}
          pagination={false}
          dataSource={g.history}
          columns={[
            { title: t('caseGroup.at'), width: 180, render: (_, h) => formatDateTime(h.at, lang) },
            { title: t('caseGroup.action'), render: (_, h) => t(`caseGroup.historyAction.${h.action}`) },
            { title: t('caseGroup.member'), render: (_, h) => h.referral?.referenceNo ?? '—' },
            { title: t('caseGroup.by'), render: (_, h) => `${h.by.displayName ?? '—'}（${h.by.agency.name}）` },
            { title: t('form.reason'), dataIndex: 'reason' },
          ]}
        />
      </Section>
    </div>
  );
}
