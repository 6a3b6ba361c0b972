// Problem+json answers in words, and their field errors on the form fields they name.
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

export function describeError(e: unknown, t: TFunction): string {
  if (!(e instanceof ApiError)) return t('errors.network');
  const p = e.problem;
  if (e.status === 0) return t('errors.network');
  if (e.status === 403) return p.detail ?? t('errors.forbidden');
  if (e.status === 503) return t('errors.unavailable');
  if (e.status === 400 && p.errors?.length)
    return p.errors.map((x) => (x.field ? `${x.field}: ${x.message}` : x.message)).join('; ');
  return p.detail ?? t('errors.generic', { status: e.status, detail: p.title ?? '' });
}

/** `suspects.0.idNumber` → ['suspects', 0, 'idNumber']: marks each field the API named; returns the rest. */
export function applyFieldErrors(form: FormInstance, e: unknown, known: (path: (string | number)[]) => boolean): string[] {
  if (!(e instanceof ApiError) || e.status !== 400 || !e.problem.errors) return [];
  const rest: string[] = [];
  const byField = new Map<string, string[]>();
  for (const { field, message } of e.problem.errors) byField.set(field, [...(byField.get(field) ?? []), message]);
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [field, messages] of byField) {
    const name = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (field && known(name)) fields.push({ name, errors: messages });
    else rest.push(...messages.map((m) => (field ? `${field}: ${m}` : m)));
  }
  form.setFields(fields);
  return rest;
}
