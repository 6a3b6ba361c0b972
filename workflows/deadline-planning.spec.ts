import { reminderTime } from './deadline-planning';

const H = 3_600_000;
const start = new Date('2026-03-02T02:00:00Z');

describe('reminderTime', () => {
  it('reminds a 24-hour period at half-time', () => {
    expect(reminderTime(start, new Date(start.getTime() + 24 * H), 24 * H)).toEqual(new Date(start.getTime() + 12 * H));
  });

  it('reminds a longer period the lead before it is due', () => {
    const due = new Date(start.getTime() + 80 * H);
    expect(reminderTime(start, due, 24 * H)).toEqual(new Date(due.getTime() - 24 * H));
    expect(reminderTime(start, due, 6 * H)).toEqual(new Date(due.getTime() - 6 * H));
  });

  it('never reminds before the period starts', () => {
    const due = new Date(start.getTime() + 30 * H);
    expect(reminderTime(start, due, 48 * H)).toEqual(start);
  });
});
