// A secret the service shows only once (an API key, a webhook signing secret):
// a dialog with the value to copy and a warning that it cannot be shown again.
import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function SecretOnce({ title, value, onClose }: { title: string; value: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      title={title}
      open={value !== null}
      onCancel={onClose}
      onOk={onClose}
      okText={t('admin.secret.done')}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Alert type="warning" showIcon title={t('admin.secret.once')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph
        className="caselink-mono"
        data-testid="secret-value"
        copyable={{ text: value ?? '', tooltips: [t('admin.secret.copy'), t('admin.secret.copied')] }}
        style={{ padding: 8, background: '#fafafa', border: '1px solid #d9d9d9', borderRadius: 4 }}
      >
        {value}
      </Typography.Paragraph>
    </Modal>
  );
}
