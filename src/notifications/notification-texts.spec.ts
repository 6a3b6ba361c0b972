import { NOTIFICATION_TEMPLATES } from '../../workflows/referral/referral.notifications';
import {
  formatDue,
  isServiceNotice,
  notificationText,
  SERVICE_NOTICES,
  serviceNoticeText,
  type TextFacts,
} from './notification-texts';

const facts = (over: Partial<TextFacts> = {}): TextFacts => ({
  referral: { referenceNo: 'HZ-2026-000042', title: 'Counterfeit baijiu' },
  recipientAgencyId: 'agency-a',
  deadlines: [],
  timeZone: 'Asia/Shanghai',
  ...over,
});

describe('notification texts', () => {
  it('formats due times in the configured zone, 24:00 as the next day 00:00', () => {
    expect(formatDue(new Date('2026-12-03T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-04 00:00 (Asia/Shanghai)');
    expect(formatDue(new Date('2026-12-03T16:00:00Z'), 'UTC')).toBe('2026-12-03 16:00 (UTC)');
  });

  // That every template has a text is the compiler's job (Record<NotificationTemplate, Render>); this checks what they say.
  it.each(NOTIFICATION_TEMPLATES)('%s has its own text naming the referral', (template) => {
    const text = notificationText('referral', template, facts());
    expect(text.title).toContain('HZ-2026-000042');
    expect(text.body).toContain('HZ-2026-000042 "Counterfeit baijiu"');
    expect(text).not.toEqual(notificationText('referral', 'something-new', facts()));
  });

  it('gives every referral template a different title', () => {
    const titles = NOTIFICATION_TEMPLATES.map((t) => notificationText('referral', t, facts()).title);
    expect(new Set(titles).size).toBe(NOTIFICATION_TEMPLATES.length);
  });

  it('treats only service notices as service notices', () => {
    expect(SERVICE_NOTICES.filter(isServiceNotice)).toEqual(['calendar-missing']);
    expect(NOTIFICATION_TEMPLATES.filter(isServiceNotice)).toEqual([]);
    expect(isServiceNotice('toString')).toBe(false);
  });

  it('tells the admins which year to load and how many deadlines wait on it, naming no referral', () => {
    const text = serviceNoticeText('calendar-missing', { year: 2027, pendingDeadlines: 3 });
    expect(text.title).toBe('Load the holiday calendar for 2027');
    expect(text.body).toContain('3 pending deadlines count days in 2027');
    expect(text.body).toContain('PUT /api/v1/calendars/2027');
    expect(text.body).not.toMatch(/referral /i);
  });

  it('names the referral and what is due by when', () => {
    const text = notificationText(
      'referral',
      'referral-submitted',
      facts({
        deadlines: [
          { kind: 'review', dueAt: new Date('2026-12-03T16:00:00Z'), legalBasis: 'art. 8', responsibleAgencyId: 'p' },
          { kind: 'acknowledge', dueAt: new Date('2026-11-30T20:00:00Z'), legalBasis: 'art. 8', responsibleAgencyId: 'p' },
        ],
      }),
    );
    expect(text.title).toContain('HZ-2026-000042');
    expect(text.body).toBe(
      'Referral HZ-2026-000042 "Counterfeit baijiu" was submitted to the police. Acknowledge by 2026-12-01 04:00 (Asia/Shanghai). Decide on filing by 2026-12-04 00:00 (Asia/Shanghai).',
    );
  });

  it('states the deadline kind, due time and legal basis of deadline notices', () => {
    const deadline = {
      kind: 'acknowledge',
      dueAt: new Date('2026-11-30T20:00:00Z'),
      legalBasis: 'Provisions art. 8',
      responsibleAgencyId: 'p',
    };
    const text = notificationText('referral', 'deadline-breached', facts({ deadline }));
    expect(text.title).toBe('Deadline breached: acknowledge on HZ-2026-000042');
    expect(text.body).toContain(
      'The acknowledge deadline was due 2026-12-01 04:00 (Asia/Shanghai). Legal basis: Provisions art. 8.',
    );
  });

  it("states only the recipient's own rectification task deadline", () => {
    const deadlines = [
      { kind: 'rectification', dueAt: new Date('2027-01-10T16:00:00Z'), legalBasis: 'plan', responsibleAgencyId: 'other' },
      { kind: 'rectification', dueAt: new Date('2027-02-10T16:00:00Z'), legalBasis: 'plan', responsibleAgencyId: 'agency-a' },
    ];
    const body = notificationText('referral', 'rectification-started', facts({ deadlines })).body;
    expect(body).toContain('2027-02-11 00:00');
    expect(body).not.toContain('2027-01-11');
  });

  it('still says something readable for an unknown template', () => {
    expect(notificationText('referral', 'something-new', facts())).toEqual({
      title: 'Update on HZ-2026-000042',
      body: 'Referral HZ-2026-000042 "Counterfeit baijiu": something new.',
    });
  });
});
