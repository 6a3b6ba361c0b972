import { CheckCircleFilled, ExclamationCircleOutlined } from '@ant-design/icons';
import { List } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TransferPackage } from '../api/types';

const ITEMS: (keyof TransferPackage)[] = ['transferLetter', 'investigationReport', 'itemInventory', 'testReports'];

export function TransferChecklist({ value, title }: { value: TransferPackage; title: string }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      header={<strong>{title}</strong>}
      dataSource={ITEMS}
      renderItem={(k) => (
        <List.Item>
          <span>
            {value[k] ? (
              <CheckCircleFilled style={{ color: '#389e0d' }} aria-label={t('common.yes')} />
            ) : (
              <ExclamationCircleOutlined style={{ color: '#ad6800' }} aria-label={t('common.no')} />
            )}{' '}
            {t(`package.${k}`)}
          </span>
        </List.Item>
      )}
    />
  );
}

export function packageOf(kinds: string[]): TransferPackage {
  const has = new Set(kinds);
  return {
    transferLetter: has.has('transfer-letter'),
    investigationReport: has.has('investigation-report'),
    itemInventory: has.has('item-inventory'),
    testReports: has.has('test-report'),
  };
}
