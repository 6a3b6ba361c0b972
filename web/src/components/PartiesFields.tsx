// The parties of a case (suspects of a referral, parties of an administrative case
// or reverse transfer): kind, name and ID number, checked by its check character.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Suspect } from '../api/types';
import { isResidentId, isSocialCreditCode } from '../lib/ids';

/** The parties as the API takes them: names trimmed, ID numbers upper-case, an empty one left out. */
export function partiesOf(list: Suspect[]): Suspect[] {
  return list.map((s) => ({
    kind: s.kind,
    name: s.name.trim(),
    ...(s.idNumber?.trim() ? { idNumber: s.idNumber.trim().toUpperCase() } : {}),
  }));
}

export function PartiesFields({ name, legend }: { name: string; legend: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, marginBottom: 8 }}>{legend}</legend>
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Row gutter={8} key={field.key} align="top">
                <Col xs={24} sm={6}>
                  <Form.Item label={t('submit.suspectKind')} name={[field.name, 'kind']} rules={[{ required: true }]}>
                    <Select
                      options={[
                        { value: 'organization', label: t('suspectKind.organization') },
                        { value: 'person', label: t('suspectKind.person') },
                      ]}
                      onChange={() => void form.validateFields([[name, field.name, 'idNumber']]).catch(() => undefined)}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item
                    label={t('submit.suspectName')}
                    name={[field.name, 'name']}
                    rules={[{ required: true, whitespace: true, message: t('submit.required') }]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
                <Col xs={20} sm={8}>
                  <Form.Item
                    label={t('submit.idNumber')}
                    name={[field.name, 'idNumber']}
                    extra={
                      form.getFieldValue([name, field.name, 'kind']) === 'person'
                        ? t('submit.idNumberHelpPerson')
                        : t('submit.idNumberHelpOrg')
                    }
                    rules={[
                      ({ getFieldValue }) => ({
                        validator: (_, v?: string) => {
                          if (!v || !v.trim()) return Promise.resolve();
                          const person = getFieldValue([name, field.name, 'kind']) === 'person';
                          if (person && !isResidentId(v.trim())) return Promise.reject(new Error(t('submit.badResidentId')));
                          if (!person && !isSocialCreditCode(v.trim()))
                            return Promise.reject(new Error(t('submit.badCreditCode')));
                          return Promise.resolve();
                        },
                      }),
                    ]}
                  >
                    <Input maxLength={18} className="caselink-mono" />
                  </Form.Item>
                </Col>
                <Col xs={4} sm={2}>
                  <Form.Item label={<span className="sr-only">{t('common.remove')}</span>}>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={`${t('common.remove')} ${i + 1}`}
                      disabled={fields.length === 1}
                      onClick={() => remove(field.name)}
                    />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'person', name: '' })} style={{ marginBottom: 16 }}>
              {t('submit.addSuspect')}
            </Button>
          </>
        )}
      </Form.List>
    </fieldset>
  );
}
