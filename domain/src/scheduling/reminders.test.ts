import { describe, expect, it } from 'vitest';
import { type ReminderChannel, type ReminderInput, reminderSchedule } from './reminders';

const MINUTE = 60_000;
const start = new Date('2024-04-06T23:30:00-03:00');
const ahead = (minutes: number) => new Date(start.getTime() - minutes * MINUTE);
const sendAt = (minutesBefore: number) => ahead(minutesBefore).toISOString();

const summary = (input: ReminderInput) =>
  reminderSchedule(input).map((r) => ({ key: r.key, channel: r.channel, sendAt: r.sendAt.toISOString() }));

describe('reminderSchedule', () => {
  it.each<[string, Partial<ReminderInput>, string[]]>([
    [
      'booked 3 days ahead: both reminders',
      { createdAt: ahead(3 * 1440) },
      ['1440m:email', '1440m:sms', '60m:email', '60m:sms'],
    ],
    [
      'booked exactly 24 h ahead: the 24 h reminder is due now and kept',
      { createdAt: ahead(1440) },
      ['1440m:email', '1440m:sms', '60m:email', '60m:sms'],
    ],
    ['booked 23 h 59 min ahead: only the 1 h reminder', { createdAt: ahead(1439) }, ['60m:email', '60m:sms']],
    ['booked 2 h ahead: only the 1 h reminder', { createdAt: ahead(120) }, ['60m:email', '60m:sms']],
    ['booked exactly 60 min ahead: the 1 h reminder is due now', { createdAt: ahead(60) }, ['60m:email', '60m:sms']],
    ['booked 59 min ahead: none, in particular no 24 h one', { createdAt: ahead(59) }, []],
    ['booked 5 min ahead: none', { createdAt: ahead(5) }, []],
    ['created after the start: none', { createdAt: ahead(-10) }, []],
    ['no channels: none', { createdAt: ahead(3 * 1440), channels: [] }, []],
    [
      'custom offsets, one week and 2 h',
      { createdAt: ahead(8 * 1440), offsetsMinutes: [120, 10_080], channels: ['push'] },
      ['10080m:push', '120m:push'],
    ],
    [
      'duplicate offsets and channels are collapsed',
      { createdAt: ahead(3 * 1440), offsetsMinutes: [60, 60, 1440], channels: ['sms', 'sms'] },
      ['1440m:sms', '60m:sms'],
    ],
    [
      'channels come out in a fixed order whatever the input order',
      { createdAt: ahead(3 * 1440), offsetsMinutes: [60], channels: ['push', 'email', 'sms'] },
      ['60m:email', '60m:sms', '60m:push'],
    ],
  ])('%s', (_name, overrides, wantKeys) => {
    const input: ReminderInput = { start, createdAt: ahead(3 * 1440), channels: ['email', 'sms'], ...overrides };
    expect(summary(input).map((r) => r.key)).toEqual(wantKeys);
  });

  it('sets each sendAt to start minus its offset, with key and channel', () => {
    expect(summary({ start, createdAt: ahead(3 * 1440), channels: ['email', 'push'] })).toEqual([
      { key: '1440m:email', channel: 'email', sendAt: sendAt(1440) },
      { key: '1440m:push', channel: 'push', sendAt: sendAt(1440) },
      { key: '60m:email', channel: 'email', sendAt: sendAt(60) },
      { key: '60m:push', channel: 'push', sendAt: sendAt(60) },
    ]);
    // 24 h before a Saturday 23:30 in Santiago's fall-back night is 24 real hours, not "same wall time yesterday".
    expect(sendAt(1440)).toBe('2024-04-06T02:30:00.000Z');
  });

  it('is deterministic and its keys are unique, so a sender can mark each one as sent', () => {
    const input: ReminderInput = {
      start,
      createdAt: ahead(10 * 1440),
      channels: ['sms', 'push', 'email'],
      offsetsMinutes: [15, 1440, 60, 4320],
    };
    const a = reminderSchedule(input);
    expect(reminderSchedule(input)).toEqual(a);
    expect(new Set(a.map((r) => r.key)).size).toBe(a.length);
    const times = a.map((r) => r.sendAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(a).toHaveLength(12);
  });

  it.each([[0], [-60], [1.5], [Number.NaN]])('rejects the offset %d', (offset) => {
    expect(() =>
      reminderSchedule({ start, createdAt: ahead(1440), channels: ['email'], offsetsMinutes: [offset] }),
    ).toThrow(RangeError);
  });

  it.each<[string, Date, Date]>([
    ['an invalid start', new Date(Number.NaN), ahead(60)],
    ['an invalid createdAt', start, new Date('nope')],
  ])('rejects %s', (_name, s, createdAt) => {
    const channels: ReminderChannel[] = ['email'];
    expect(() => reminderSchedule({ start: s, createdAt, channels })).toThrow(RangeError);
  });
});
