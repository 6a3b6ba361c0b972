// The filters above a list: a text search and choices (state, domain, direction…),
// each labelled for screen readers, cleared with its own button.
import { Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { DOMAINS } from '../api/types';

export function TextFilter({
  value,
  onChange,
  placeholder,
}: {
  value?: string;
  onChange: (v: string | undefined) => void;
  placeholder: string;
}) {
  const { t } = useTranslation();
  return (
    <Input.Search
      aria-label={t('queue.q')}
      placeholder={placeholder}
      defaultValue={value}
      allowClear
      onSearch={(v) => onChange(v || undefined)}
      style={{ width: 240 }}
    />
  );
}

export function ChoiceFilter<V extends string>({
  label,
  value,
  onChange,
  options,
  width,
  allowClear = true,
}: {
  label: string;
  value?: V;
  onChange: (v: V | undefined) => void;
  options: { value: V; label: string }[];
  width: number;
  allowClear?: boolean;
}) {
  return (
    <Select<V>
      aria-label={label}
      placeholder={label}
      allowClear={allowClear}
      value={value}
      onChange={onChange}
      style={{ width }}
      options={options}
    />
  );
}

export function DomainFilter({
  value,
  onChange,
  width = 150,
}: {
  value?: string;
  onChange: (v: string | undefined) => void;
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <ChoiceFilter
      label={t('queue.domain')}
      value={value}
      onChange={onChange}
      width={width}
      options={DOMAINS.map((d) => ({ value: d, label: t(`domain.${d}`) }))}
    />
  );
}

/** incoming / outgoing; `ours`: worded for the other workflows (we answer / we started) rather than transfers. */
export function DirectionFilter({
  value,
  onChange,
  ours = false,
}: {
  value?: string;
  onChange: (v: 'incoming' | 'outgoing' | undefined) => void;
  ours?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ChoiceFilter<'incoming' | 'outgoing'>
      label={t('queue.direction')}
      value={value as 'incoming' | 'outgoing' | undefined}
      onChange={onChange}
      width={190}
      options={[
        { value: 'incoming', label: t(ours ? 'instance.incoming' : 'queue.incoming') },
        { value: 'outgoing', label: t(ours ? 'instance.outgoing' : 'queue.outgoing') },
      ]}
    />
  );
}
