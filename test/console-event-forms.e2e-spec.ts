// Each of the console's event forms (web/src/components/event-fields.ts) builds
// a payload the service's own validator accepts, for every client event.
import dayjs from 'dayjs';
import { parseEventBody } from '../src/common/event-bodies';
import { RECOMMENDATION_BODIES } from '../src/recommendations/recommendation.dto';
import { parseClientEvent } from '../src/referrals/referral-event.dto';
import { REVERSE_TRANSFER_BODIES } from '../src/reverse-transfers/reverse-transfer.dto';
import { EVENT_FIELDS, RECOMMENDATION_FIELDS, REVERSE_FIELDS, payloadOf, type Field } from '../web/src/components/event-fields';
import { CLIENT_EVENT_TYPES } from '../workflows/referral/referral.types';
import { CLIENT_EVENT_TYPES as RECOMMENDATION_EVENTS } from '../workflows/transfer-recommendation/transfer-recommendation.types';
import { CLIENT_EVENT_TYPES as REVERSE_EVENTS } from '../workflows/reverse-transfer/reverse-transfer.types';

const ID = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function sample(f: Field): unknown {
  switch (f.kind) {
    case 'text':
    case 'textarea':
      return '  证据确实充分，依法应当立案侦查。 ';
    case 'lines':
      return '检验报告原件\n\n  涉案物品照片 ';
    case 'choice':
      return f.options[0];
    case 'kinds':
      return [f.options[0], f.options[1]];
    case 'money':
      return '30000.00';
    case 'int':
      return f.max;
    case 'bodies':
      return ['not sent'];
    case 'police':
    case 'task':
      return ID;
    case 'date':
      return dayjs('2026-12-20');
    case 'inventory':
      return [
        { item: '假冒白酒', quantity: '1200', unit: '瓶', storage: '萧山证物库' },
        { item: '标签', quantity: '', unit: undefined },
      ];
    case 'tasks':
      return [
        { agencyId: ID, description: '全市白酒经营户排查', dueAt: dayjs('2026-12-10') },
        { agencyId: ID, description: '商标侵权专项检查' },
      ];
  }
}

test('there is a form for every event a client may send', () => {
  expect(Object.keys(EVENT_FIELDS).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
});

test.each(Object.keys(EVENT_FIELDS))('%s: the form payload passes the service validation', (type) => {
  const values = Object.fromEntries(EVENT_FIELDS[type].map((f) => [f.name, sample(f)]));
  const payload = payloadOf(type, values);
  expect(() => parseClientEvent(payload)).not.toThrow();
});

test('listing for supervision: the reporting period is optional, and the listing bodies are shown, never sent', () => {
  const bare = payloadOf('LIST_FOR_SUPERVISION', { level: 'province', bodies: [ID], reportEveryDays: null, note: ' 重大案件 ' });
  expect(bare).toEqual({ type: 'LIST_FOR_SUPERVISION', level: 'province', note: '重大案件' });
  expect(() => parseClientEvent(bare)).not.toThrow();
  const withPeriod = payloadOf('LIST_FOR_SUPERVISION', { level: 'city', reportEveryDays: 15, note: '重大案件' });
  expect(withPeriod).toEqual({ type: 'LIST_FOR_SUPERVISION', level: 'city', reportEveryDays: 15, note: '重大案件' });
  expect(() => parseClientEvent({ ...withPeriod, reportEveryDays: 91 })).toThrow();
});

test('due dates are the end of the picked day in APP_TIMEZONE (24:00 Asia/Shanghai)', () => {
  const payload = payloadOf('START_JOINT_RECTIFICATION', { dueAt: dayjs('2026-12-20'), tasks: [] }) as { dueAt: string };
  expect(payload.dueAt).toBe('2026-12-20T16:00:00.000Z');
});

describe.each([
  ['transfer-recommendation', RECOMMENDATION_FIELDS, RECOMMENDATION_EVENTS, RECOMMENDATION_BODIES],
  ['reverse-transfer', REVERSE_FIELDS, REVERSE_EVENTS, REVERSE_TRANSFER_BODIES],
] as const)('%s', (_, table, events, bodies) => {
  test('there is a form for every event a client may send', () => {
    expect(Object.keys(table).sort()).toEqual([...events].sort());
  });

  test.each(Object.keys(table))(
    '%s: the form payload passes the service validation, filled and with the optional fields empty',
    (type) => {
      const filled = payloadOf(type, Object.fromEntries(table[type].map((f) => [f.name, sample(f)])), table);
      expect(() => parseEventBody(bodies as never, filled)).not.toThrow();
      const bare = payloadOf(
        type,
        Object.fromEntries(table[type].map((f) => [f.name, 'optional' in f || 'requiredIf' in f ? '' : sample(f)])),
        table,
      );
      expect(() => parseEventBody(bodies as never, bare)).not.toThrow();
    },
  );
});
