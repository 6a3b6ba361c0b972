import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status">
      <Spin /> <span>{t('common.loading')}</span>
    </div>
  );
}
