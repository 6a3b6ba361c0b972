// antd's DatePicker (with its calendar, ~30 KB gzipped) loaded when a form first
// needs one, so that a page with event forms does not download it up front.
import { Input } from 'antd';
import type { DatePickerProps } from 'antd';
import { lazy, Suspense } from 'react';

// typed as antd's own (the es/ entry's generic props do not narrow to DatePickerProps)
const DatePicker = lazy(async () => ({
  default: (await import('antd/es/date-picker')).default as unknown as React.ComponentType<DatePickerProps>,
}));

export function LazyDatePicker(props: DatePickerProps) {
  return (
    <Suspense fallback={<Input disabled style={props.style} />}>
      <DatePicker {...props} />
    </Suspense>
  );
}
