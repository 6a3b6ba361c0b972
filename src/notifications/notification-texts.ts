// Inbox texts: the workflow of the instance picks its texts (workflows/<name>/
// <name>.texts.ts); service notices, about no instance, are here.
import { ref, aboutDeadline, type NotificationText, type TextFacts } from '../../workflows/notice-texts';
import { currentDefinition } from '../workflow-engine/workflow-registry';

export { formatDue, type DeadlineFact, type NotificationText, type TextFacts } from '../../workflows/notice-texts';

/** The deadline kinds whose due time the template's text states (the processor loads them). */
export function deadlineKindsStated(workflow: string, template: string): readonly string[] {
  const kinds = currentDefinition(workflow)?.notices.deadlineKinds as Record<string, readonly string[]> | undefined;
  return (kinds && Object.hasOwn(kinds, template) ? kinds[template] : undefined) ?? [];
}

/** The text of a notification; an unknown template still yields a readable one rather than a failing job. */
export function notificationText(workflow: string, template: string, facts: TextFacts): NotificationText {
  // Outbox rows may outlive a template (written by an older release), so names from rows are checked, not trusted.
  const texts = currentDefinition(workflow)?.notices.texts;
  if (texts && Object.hasOwn(texts, template)) return texts[template](facts);
  return {
    title: `Update on ${facts.referral.referenceNo}`,
    body:
      `${workflow.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())} ${ref(facts)}: ${template.replace(/-/g, ' ')}.` +
      aboutDeadline(facts),
  };
}

/**
 * Notices about the service, not about one referral: they go to the administration
 * agency and name no referral (its admins may be outside every referral's scope).
 */
export interface ServiceNoticeFacts {
  /** calendar-missing: the year not loaded, and how many open deadlines count days in it. */
  year: number;
  pendingDeadlines: number;
}

export const SERVICE_NOTICES = ['calendar-missing'] as const;
export type ServiceNotice = (typeof SERVICE_NOTICES)[number];

const SERVICE_TEMPLATES: Record<ServiceNotice, (f: ServiceNoticeFacts) => NotificationText> = {
  'calendar-missing': (f) => ({
    title: `Load the holiday calendar for ${f.year}`,
    body:
      `${f.pendingDeadlines} pending deadline${f.pendingDeadlines === 1 ? '' : 's'} count days in ${f.year}, whose official calendar is not loaded.` +
      ' They were counted on the provisional calendar (weekends and the statutory holidays of the National Holidays Measures) and are marked provisional.' +
      ` Load the year with PUT /api/v1/calendars/${f.year}; pending deadlines are then recomputed.`,
  }),
};

/** A template about the service, never about one referral (even if an old outbox row names one). */
export function isServiceNotice(template: string): template is ServiceNotice {
  return Object.hasOwn(SERVICE_TEMPLATES, template);
}

export function serviceNoticeText(template: string, facts: ServiceNoticeFacts): NotificationText {
  return isServiceNotice(template)
    ? SERVICE_TEMPLATES[template](facts)
    : { title: template.replace(/-/g, ' '), body: `Service notice: ${template.replace(/-/g, ' ')}.` };
}
