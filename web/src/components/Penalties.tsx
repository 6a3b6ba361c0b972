// Administrative penalties as the agency recorded them: decision number, date, kinds, fine.
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Penalty } from '../api/types';
import { useLang } from '../lib/useLang';
import { formatDate } from '../lib/time';

export function penaltyKinds(kinds: readonly string[], t: (key: string, o: { defaultValue: string }) => string): string {
  return kinds.map((k) => t(`penaltyKind.${k}`, { defaultValue: k })).join('、') || '—';
}

export function PenaltiesTable({ penalties }: { penalties: Penalty[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Table<Penalty>
      size="small"
      rowKey={(p, i) => `${p.decisionNo}-${i}`}
      pagination={false}
      dataSource={penalties}
      columns={[
        { title: t('penalty.decisionNo'), dataIndex: 'decisionNo' },
        { title: t('penalty.decidedAt'), dataIndex: 'decidedAt', render: (v: string) => formatDate(v, lang) },
        { title: t('penalty.kinds'), dataIndex: 'kinds', render: (k: string[]) => penaltyKinds(k, t) },
        { title: t('penalty.fineAmount'), dataIndex: 'fineAmount', render: (v?: string) => (v ? `¥${v}` : '—') },
      ]}
    />
  );
}
