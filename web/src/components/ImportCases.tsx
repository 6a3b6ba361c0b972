// Import administrative cases from a CSV or NDJSON file (docs/api.md "Import"):
// each row is recorded or updated on its case number; the report says how many
// were created, updated or unchanged, and which lines were refused and why.
import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Modal, Radio, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { ImportReport } from '../api/types';
import { describeError } from '../lib/problems';

type Format = 'text/csv' | 'application/x-ndjson';

const formatOf = (name: string): Format => (/\.(nd)?jsonl?$|\.ndjson$/i.test(name) ? 'application/x-ndjson' : 'text/csv');

export function ImportCasesButton() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('text/csv');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setOpen(false);
    setFile(null);
    setReport(null);
    setError(null);
  };

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const text = await file.text();
      const result = await call<ImportReport>(
        api.POST('/api/v1/admin-cases/import', {
          body: text,
          bodySerializer: (b: string) => b,
          headers: { 'Content-Type': format },
        }),
      );
      setReport(result);
      void message.success(t('cases.imported', { count: result.accepted }));
      await queryClient.invalidateQueries({ queryKey: ['admin-cases'] });
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)}>
        {t('cases.import')}
      </Button>
      <Modal
        title={t('cases.importTitle')}
        open={open}
        onCancel={close}
        onOk={() => void send()}
        okText={t('cases.importSend')}
        okButtonProps={{ disabled: !file }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        width={720}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('cases.importHelp')}</Typography.Paragraph>
          <Space wrap>
            <Upload
              accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
              showUploadList={false}
              beforeUpload={(f) => {
                setFile(f);
                setFormat(formatOf(f.name));
                setReport(null);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />}>{t('cases.chooseFile')}</Button>
            </Upload>
            {file && <span data-testid="import-file">{file.name}</span>}
          </Space>
          <Radio.Group
            aria-label={t('cases.format')}
            value={format}
            onChange={(e) => setFormat(e.target.value as Format)}
            options={[
              { value: 'text/csv', label: 'CSV' },
              { value: 'application/x-ndjson', label: 'NDJSON' },
            ]}
          />
          {error && <Alert type="error" showIcon title={error} />}
          {report && (
            <div data-testid="import-report">
              <Descriptions size="small" bordered column={{ xs: 1, sm: 4 }}>
                <Descriptions.Item label={t('cases.accepted')}>{report.accepted}</Descriptions.Item>
                <Descriptions.Item label={t('cases.created')}>{report.created}</Descriptions.Item>
                <Descriptions.Item label={t('cases.updated')}>{report.updated}</Descriptions.Item>
                <Descriptions.Item label={t('cases.unchanged')}>{report.unchanged}</Descriptions.Item>
              </Descriptions>
              {report.rejected.length > 0 && (
                <Table
                  size="small"
                  style={{ marginTop: 12 }}
                  rowKey="line"
                  pagination={false}
                  title={() => t('cases.rejected', { count: report.rejected.length })}
                  dataSource={report.rejected}
                  columns={[
                    { title: t('cases.line'), dataIndex: 'line', width: 80 },
                    {
                      title: t('cases.errors'),
                      render: (_, r) =>
                        r.errors.map((e) => (
                          <div key={`${e.field}-${e.message}`}>{e.field ? `${e.field}: ${e.message}` : e.message}</div>
                        )),
                    },
                  ]}
                />
              )}
            </div>
          )}
        </Space>
      </Modal>
    </>
  );
}
