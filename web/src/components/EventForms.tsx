// One small form per workflow event, with the payload API.md's event table
// gives it. The referral, recommendation and reverse-transfer pages show a
// button for exactly each allowed event (the workflow's table: event-fields.ts).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Referral } from '../api/types';
import { useAgencyNames } from '../api/queries';
import { useAuth } from '../auth/AuthContext';
import { applyFieldErrors } from '../lib/problems';
import { AgencySelect } from './AgencySelect';
import { EVENT_FIELDS, payloadOf, type Field } from './event-fields';
import { LazyDatePicker } from './LazyDatePicker';

interface Props {
  type: string;
  /** The referral the event is for (its tasks, its police unit); none on the other workflows. */
  referral?: Referral;
  /** The workflow's form table (default: the referral's). */
  table?: Record<string, Field[]>;
  /** The button's and dialog's words (default: event.<TYPE>). */
  label?: string;
  onSend: (payload: Record<string, unknown>) => Promise<void>;
}

export function EventButton({ type, referral, table = EVENT_FIELDS, label: given, onSend }: Props) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const agencyName = useAgencyNames();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const fields = table[type] ?? [];
  const label = given ?? t(`event.${type}`, { defaultValue: type });
  const myTasks = (referral?.rectificationTasks ?? []).filter(
    (task) => task.agencyId === user?.agency.id && task.status !== 'done',
  );

  const send = async () => {
    let values: Record<string, unknown> = {};
    try {
      if (fields.length) values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setBusy(true);
    try {
      await onSend(payloadOf(type, values, table));
      setOpen(false);
      form.resetFields();
    } catch (e) {
      applyFieldErrors(form, e, ([f]) => fields.some((x) => x.name === f));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('submit.required') };
  /** Required, optional, or required only while another field holds a value (a penalty's number and kinds). */
  const rulesOf = (f: Field, extra: object = {}) => {
    if ('requiredIf' in f && f.requiredIf) {
      const [other, value] = f.requiredIf;
      return [
        ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
          required: getFieldValue(other) === value,
          message: t('submit.required'),
          ...extra,
        }),
      ];
    }
    return 'optional' in f && f.optional ? [] : [{ ...required, ...extra }];
  };
  const dependsOn = (f: Field) => ('requiredIf' in f && f.requiredIf ? [f.requiredIf[0]] : undefined);
  return (
    <>
      <Button type={type === 'COMMENT' ? 'default' : 'primary'} onClick={() => setOpen(true)} data-event={type}>
        {label}
      </Button>
      <Modal
        title={label}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void send()}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" preserve={false} name={`event-${type}`}>
          {fields.map((f) => {
            switch (f.kind) {
              case 'text':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    dependencies={dependsOn(f)}
                    rules={rulesOf(f, { whitespace: true })}
                  >
                    <Input />
                  </Form.Item>
                );
              case 'kinds':
                return (
                  <Form.Item key={f.name} name={f.name} label={t(f.label)} dependencies={dependsOn(f)} rules={rulesOf(f)}>
                    <Select
                      mode="multiple"
                      aria-label={t(f.label)}
                      options={f.options.map((o) => ({ value: o, label: t(`${f.prefix}.${o}`) }))}
                    />
                  </Form.Item>
                );
              case 'money':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    rules={[{ pattern: /^\d+(\.\d{1,2})?$/, message: t('submit.badAmount') }]}
                  >
                    <Input inputMode="decimal" />
                  </Form.Item>
                );
              case 'textarea':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    rules={[
                      { ...required, whitespace: true },
                      ...(f.min ? [{ min: f.min, message: t('form.minChars', { n: f.min }) }] : []),
                    ]}
                  >
                    <Input.TextArea rows={3} />
                  </Form.Item>
                );
              case 'lines':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    extra={t('form.itemsHelp')}
                    rules={[{ ...required, whitespace: true }]}
                  >
                    <Input.TextArea rows={3} />
                  </Form.Item>
                );
              case 'int':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    extra={t('form.reportEveryDaysHelp', { min: f.min, max: f.max })}
                    rules={[
                      ...rulesOf(f),
                      { type: 'integer', min: f.min, max: f.max, message: t('form.intRange', { min: f.min, max: f.max }) },
                    ]}
                  >
                    {/* no min/max here: out of range is said by the rule, not silently clamped */}
                    <InputNumber precision={0} style={{ width: 160 }} />
                  </Form.Item>
                );
              case 'bodies': {
                // the service adds the sender's agency to the bodies: a second overseer joins the listing
                const bodies = referral?.listing?.bodies ?? [];
                return (
                  <Form.Item key={f.name} label={t(f.label)}>
                    <Typography.Text data-testid="listing-bodies">
                      {[
                        ...bodies.map((b) => agencyName(b)),
                        ...(user && !bodies.includes(user.agency.id) ? [user.agency.name] : []),
                      ].join('、')}
                    </Typography.Text>
                    <div>
                      <Typography.Text type="secondary">
                        {t(bodies.length ? 'form.bodiesJoin' : 'form.bodiesFirst')}
                      </Typography.Text>
                    </div>
                  </Form.Item>
                );
              }
              case 'choice':
                return (
                  <Form.Item key={f.name} name={f.name} label={t(f.label)} rules={[required]}>
                    <Radio.Group options={f.options.map((o) => ({ value: o, label: t(`${f.prefix}.${o}`) }))} />
                  </Form.Item>
                );
              case 'police':
                return (
                  <Form.Item key={f.name} name={f.name} label={t(f.label)} rules={[required]}>
                    <AgencySelect kind="police" excludeId={referral?.targetAgency.id} />
                  </Form.Item>
                );
              case 'task':
                return (
                  <Form.Item
                    key={f.name}
                    name={f.name}
                    label={t(f.label)}
                    rules={[required]}
                    initialValue={myTasks.length === 1 ? myTasks[0].id : undefined}
                  >
                    <Select options={myTasks.map((task) => ({ value: task.id, label: task.description }))} />
                  </Form.Item>
                );
              case 'date':
                return (
                  <Form.Item key={f.name} name={f.name} label={t(f.label)} rules={[required]}>
                    <LazyDatePicker />
                  </Form.Item>
                );
              case 'inventory':
                return (
                  <Form.List key={f.name} name={f.name} initialValue={[{}]}>
                    {(items, { add, remove }) => (
                      <fieldset style={{ border: 0, padding: 0 }}>
                        <legend>{t(f.label)}</legend>
                        {items.map((item, i) => (
                          <Space key={item.key} wrap align="start">
                            <Form.Item
                              name={[item.name, 'item']}
                              label={t('form.item')}
                              rules={[{ ...required, whitespace: true }]}
                            >
                              <Input />
                            </Form.Item>
                            <Form.Item
                              name={[item.name, 'quantity']}
                              label={t('form.quantity')}
                              rules={[{ pattern: /^\d+(\.\d+)?$/, message: t('form.badQuantity') }]}
                            >
                              <Input inputMode="decimal" style={{ width: 90 }} />
                            </Form.Item>
                            <Form.Item name={[item.name, 'unit']} label={t('form.unit')}>
                              <Input style={{ width: 80 }} />
                            </Form.Item>
                            <Form.Item name={[item.name, 'storage']} label={t('form.storage')}>
                              <Input />
                            </Form.Item>
                            <Form.Item label={<span className="sr-only">{t('common.remove')}</span>}>
                              <Button
                                icon={<DeleteOutlined />}
                                aria-label={`${t('common.remove')} ${i + 1}`}
                                disabled={items.length === 1}
                                onClick={() => remove(item.name)}
                              />
                            </Form.Item>
                          </Space>
                        ))}
                        <Button icon={<PlusOutlined />} onClick={() => add({})}>
                          {t('common.add')}
                        </Button>
                      </fieldset>
                    )}
                  </Form.List>
                );
              case 'tasks':
                return (
                  <Form.List key={f.name} name={f.name} initialValue={[{}]}>
                    {(items, { add, remove }) => (
                      <fieldset style={{ border: 0, padding: 0 }}>
                        <legend>{t(f.label)}</legend>
                        {items.map((item, i) => (
                          // One task a row: agency, what to do, by when (stacked on a phone).
                          <Row key={item.key} gutter={8} align="top" wrap>
                            <Col xs={24} md={9}>
                              <Form.Item name={[item.name, 'agencyId']} label={t('form.taskAgency')} rules={[required]}>
                                <AgencySelect aria-label={t('form.taskAgency')} />
                              </Form.Item>
                            </Col>
                            <Col xs={24} md={7}>
                              <Form.Item
                                name={[item.name, 'description']}
                                label={t('form.taskDescription')}
                                rules={[{ ...required, whitespace: true }]}
                              >
                                <Input />
                              </Form.Item>
                            </Col>
                            <Col xs={20} md={6}>
                              <Form.Item name={[item.name, 'dueAt']} label={t('form.taskDue')}>
                                <LazyDatePicker style={{ width: '100%' }} />
                              </Form.Item>
                            </Col>
                            <Col xs={4} md={2}>
                              <Form.Item label={<span className="sr-only">{t('common.remove')}</span>}>
                                <Button
                                  icon={<DeleteOutlined />}
                                  aria-label={`${t('common.remove')} ${i + 1}`}
                                  disabled={items.length === 1}
                                  onClick={() => remove(item.name)}
                                />
                              </Form.Item>
                            </Col>
                          </Row>
                        ))}
                        <Button icon={<PlusOutlined />} onClick={() => add({})}>
                          {t('common.add')}
                        </Button>
                      </fieldset>
                    )}
                  </Form.List>
                );
            }
          })}
        </Form>
      </Modal>
    </>
  );
}
