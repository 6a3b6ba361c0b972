// What a timeline entry's payload says, in words: each field under its form
// label (EVENT_FIELDS), agencies by name, dates in APP_TIMEZONE, choices
// translated. The submission's own fields are the facts shown above it.
import type { TFunction } from 'i18next';
import type { RectificationTask } from '../api/types';
import { formatDue, type Lang } from '../lib/time';
import { EVENT_FIELDS, type Field } from './event-fields';

interface Context {
  t: TFunction;
  lang: Lang;
  agencyName: (id: string | null | undefined) => string;
  tasks: RectificationTask[];
  /** The workflow's form table (default: the referral's). */
  table?: Record<string, Field[]>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

export function payloadLines(type: string, payload: Record<string, unknown>, ctx: Context): [string, string][] {
  const { t, lang, agencyName, tasks, table = EVENT_FIELDS } = ctx;
  const p = payload ?? {};
  switch (type) {
    case 'SUBMIT':
      return p.targetAgencyId ? [[t('referral.target'), agencyName(str(p.targetAgencyId))]] : [];
    case 'ATTACHMENT_ADDED':
      return [
        [t('submit.attachmentKind'), t(`attachmentKind.${str(p.kind)}`, { defaultValue: str(p.kind) })],
        [t('referral.filename'), str(p.filename)],
      ];
    case 'CASE_GROUP_JOINED':
    case 'CASE_GROUP_LEFT':
    case 'CASE_GROUP_DISSOLVED':
      return [
        [t('caseGroup.name'), str(p.name)],
        [t('caseGroup.leadAgency'), agencyName(str(p.leadAgencyId))],
        [t('form.reason'), str(p.reason)],
      ];
    case 'DEADLINE_REMINDER':
    case 'DEADLINE_EXPIRED':
      return [[t('referral.kind'), t(`deadlineKind.${str(p.kind)}`, { defaultValue: str(p.kind) })]];
  }
  const fields = table[type];
  if (!fields) return Object.entries(p).map(([k, v]) => [k, str(v)]);
  return fields
    .filter((f) => p[f.name] !== undefined && p[f.name] !== null && p[f.name] !== '')
    .map((f): [string, string] => {
      const v = p[f.name];
      const label = t(f.label === 'form.reasons' ? 'form.reason' : f.label);
      switch (f.kind) {
        case 'choice':
          return [label, t(`${f.prefix}.${str(v)}`, { defaultValue: str(v) })];
        case 'police':
          return [label, agencyName(str(v))];
        case 'kinds':
          return [
            label,
            (Array.isArray(v) ? v : [v]).map((k) => t(`${f.prefix}.${str(k)}`, { defaultValue: str(k) })).join('、'),
          ];
        case 'money':
          return [label, `¥${str(v)}`];
        case 'task':
          return [label, tasks.find((task) => task.id === v)?.description ?? str(v)];
        case 'date':
          return [label, formatDue(str(v), lang)]; // day periods end at 24:00, shown so
        case 'lines':
          return [label, Array.isArray(v) ? v.map(str).join('；') : str(v)];
        case 'tasks':
          return [
            label,
            (Array.isArray(v) ? v : [])
              .map((task: { agencyId?: string; description?: string; dueAt?: string }) =>
                [agencyName(task.agencyId), task.description, task.dueAt ? formatDue(task.dueAt, lang) : '']
                  .filter(Boolean)
                  .join(' · '),
              )
              .join('；'),
          ];
        case 'inventory':
          return [
            label,
            (Array.isArray(v) ? v : [])
              .map((i: { item?: string; quantity?: number; unit?: string; storage?: string } | string) =>
                typeof i === 'string'
                  ? i
                  : [i.item, i.quantity !== undefined ? `${i.quantity}${i.unit ?? ''}` : '', i.storage]
                      .filter(Boolean)
                      .join(' · '),
              )
              .join('；'),
          ];
        default:
          return [label, str(v)];
      }
    });
}
