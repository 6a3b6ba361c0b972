// A searchable agency picker (name or code), optionally one kind only.
import { Select } from 'antd';
import { useAgencies } from '../api/queries';
import type { AgencyKind } from '../api/types';

interface Props {
  kind?: AgencyKind;
  value?: string;
  onChange?: (v: string) => void;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
  excludeId?: string;
}

export function AgencySelect({ kind, excludeId, ...props }: Props) {
  const { data, isLoading } = useAgencies(kind);
  return (
    <Select
      style={{ width: '100%' }}
      {...props}
      showSearch={{ optionFilterProp: 'label' }}
      loading={isLoading}
      options={(data ?? [])
        .filter((a) => a.id !== excludeId && a.active !== false)
        .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
    />
  );
}
