// Problem answers of the admin forms: a 400's field errors and a 409 ALREADY_EXISTS
// (which names its field too, e.g. `code` or `username`) go on the form fields they
// name; whatever names no field of the form is returned as text for a message.
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { describeError } from './problems';

export function showProblem(form: FormInstance, e: unknown, fields: string[], t: TFunction): string | null {
  if (e instanceof ApiError && (e.status === 400 || e.status === 409) && e.problem.errors?.length) {
    const onFields = e.problem.errors.filter((x) => fields.includes(x.field));
    form.setFields(
      [...new Set(onFields.map((x) => x.field))].map((name) => ({
        name,
        errors: onFields
          .filter((x) => x.field === name)
          .map((x) => (e.status === 409 ? (e.problem.detail ?? x.message) : x.message)),
      })),
    );
    const rest = e.problem.errors.filter((x) => !fields.includes(x.field));
    return rest.length ? rest.map((x) => (x.field ? `${x.field}: ${x.message}` : x.message)).join('; ') : null;
  }
  return describeError(e, t);
}
