// On a referral's page: the case group (并案) it is in, or, for a police lead, a way to
// form one with the linked referrals it may see (those sharing a party: GET /links).
import { useQuery } from '@tanstack/react-query';
import { Checkbox, Form, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import type { Referral } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import type { CaseGroup, LinksView } from '../lib/caseGroups';
import { ActionDialog } from './ActionDialog';
import { Section } from './ProcedureParts';

interface Values {
  name: string;
  referralIds: string[];
  leadAgencyId: string;
  reason: string;
}

interface Candidate {
  id: string;
  referenceNo: string;
  title: string;
  target: { id: string; name: string };
}

export function CaseGroupPanel({ referral }: { referral: Referral }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user, hasRole } = useAuth();
  const lead = hasRole('police-lead') && user?.agency.kind === 'police';
  const links = useQuery({
    queryKey: ['referral', referral.id, 'links'],
    queryFn: () => call<LinksView>(api.GET('/api/v1/referrals/{id}/links', { params: { path: { id: referral.id } } })),
    enabled: lead && !referral.caseGroup,
  });

  if (referral.caseGroup) {
    return (
      <Section title={t('caseGroup.title')}>
        <Typography.Text>
          {t('caseGroup.inGroup')} <Link to={`/case-groups/${referral.caseGroup.id}`}>{referral.caseGroup.name}</Link>
          {' · '}
          {t('caseGroup.leadAgency')}：{referral.caseGroup.leadAgency.name}
        </Typography.Text>
      </Section>
    );
  }
  if (!lead) return null;

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const l of links.data?.links ?? []) {
    const c = l.case;
    if (c.type !== 'referral' || !c.inScope || !c.id || seen.has(c.id)) continue;
    seen.add(c.id);
    candidates.push({ id: c.id, referenceNo: c.referenceNo ?? '', title: c.title ?? '', target: c.targetAgency! });
  }
  const units = new Map([[referral.targetAgency.id, referral.targetAgency.name]]);
  for (const c of candidates) units.set(c.target.id, c.target.name);
  const required = { required: true, whitespace: true, message: t('submit.required') };

  const submit = async (values: Values) => {
    const created = await call<CaseGroup>(
      api.POST('/api/v1/case-groups', {
        body: {
          name: values.name.trim(),
          leadAgencyId: values.leadAgencyId,
          referralIds: [referral.id, ...values.referralIds],
          reason: values.reason.trim(),
        },
      }),
    );
    void navigate(`/case-groups/${created.id}`);
  };

  return (
    <Section title={t('caseGroup.title')}>
      <Space orientation="vertical">
        <Typography.Text type="secondary">
          {candidates.length > 0 ? t('caseGroup.formHelp') : t('caseGroup.noCandidates')}
        </Typography.Text>
        {candidates.length > 0 && (
          <ActionDialog<Values>
            label={t('caseGroup.form')}
            action="form-case-group"
            fields={['name', 'referralIds', 'leadAgencyId', 'reason']}
            initialValues={{
              leadAgencyId: user && units.has(user.agency.id) ? user.agency.id : referral.targetAgency.id,
              referralIds: [],
            }}
            onSubmit={submit}
          >
            <Form.Item name="name" label={t('caseGroup.name')} rules={[required]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="referralIds"
              label={t('caseGroup.pick', { referenceNo: referral.referenceNo })}
              // a validator rather than `required`: aria-required is not allowed on the checkbox group's element
              rules={[
                {
                  validator: (_, v: string[] | undefined) =>
                    v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('caseGroup.pickOne'))),
                },
              ]}
            >
              <Checkbox.Group
                style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                options={candidates.map((c) => ({ value: c.id, label: `${c.referenceNo} ${c.title}（${c.target.name}）` }))}
              />
            </Form.Item>
            <Form.Item name="leadAgencyId" label={t('caseGroup.leadAgency')} rules={[required]}>
              <Radio.Group options={[...units].map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            <Form.Item name="reason" label={t('form.reason')} rules={[required]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </ActionDialog>
        )}
      </Space>
    </Section>
  );
}
