/**
 * The local scheduler's pure parts (scripts/scheduler.ts): which loaded functions are scheduled, and when a schedule
 * fires next. The stack suites run it for real (booking-integrity.test.ts runs the expiry job through it).
 */
import { describe, expect, it } from 'vitest';
import { jobsFromBackends, nextRun } from '../../scripts/scheduler';

describe('jobsFromBackends', () => {
  it('keeps the scheduled functions, with their schedule and zone (UTC when unset)', () => {
    const body = {
      backends: [
        {
          functionTriggers: [
            { id: 'us-central1-bookingsExpireUnpaid', name: 'bookingsExpireUnpaid', region: 'us-central1', schedule: { schedule: 'every 5 minutes', timeZone: 'UTC' } },
            { id: 'us-central1-remindersSend', name: 'remindersSend', region: 'us-central1', schedule: { schedule: '0 8 * * *', timeZone: null } },
            { id: 'us-central1-bookAppointment', name: 'bookAppointment', region: 'us-central1' },
            { name: 'usersOnCreated', region: 'us-central1', eventTrigger: {} },
          ],
        },
      ],
    };
    expect(jobsFromBackends(body)).toEqual([
      { name: 'bookingsExpireUnpaid', id: 'us-central1-bookingsExpireUnpaid', schedule: 'every 5 minutes', timeZone: 'UTC' },
      { name: 'remindersSend', id: 'us-central1-remindersSend', schedule: '0 8 * * *', timeZone: 'UTC' },
    ]);
    expect(jobsFromBackends({})).toEqual([]);
  });
});

describe('nextRun', () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    ['every 5 minutes', 'UTC', '2027-01-15T12:00:00Z', '2027-01-15T12:05:00Z'],
    ['every 5 minutes', 'UTC', '2027-01-15T12:03:59Z', '2027-01-15T12:05:00Z'],
    ['every 1 minutes', 'UTC', '2027-01-15T12:00:30Z', '2027-01-15T12:01:00Z'],
    ['every 2 hours', 'UTC', '2027-01-15T13:00:00Z', '2027-01-15T14:00:00Z'],
    ['*/15 * * * *', 'UTC', '2027-01-15T12:07:00Z', '2027-01-15T12:15:00Z'],
    ['0 8 * * *', 'UTC', '2027-01-15T08:00:00Z', '2027-01-16T08:00:00Z'],
    ['0 8 * * *', 'America/Bogota', '2027-01-15T12:00:00Z', '2027-01-15T13:00:00Z'],
    ['30 9 * * 1-5', 'Europe/Madrid', '2027-01-15T09:00:00Z', '2027-01-18T08:30:00Z'],
    ['0 0 1 * *', 'UTC', '2027-01-15T00:00:00Z', '2027-02-01T00:00:00Z'],
    ['0 12 1 * 0', 'UTC', '2027-01-15T00:00:00Z', '2027-01-17T12:00:00Z'],
    // Madrid springs forward at 02:00 on 28 March 2027: 02:30 does not exist that night.
    ['30 2 * * *', 'Europe/Madrid', '2027-03-27T02:00:00Z', '2027-03-29T00:30:00Z'],
  ])('%s in %s after %s → %s', (schedule, zone, after, next) => {
    expect(nextRun(schedule, zone, at(after))?.toISOString()).toBe(at(next).toISOString());
  });

  it.each([['every day'], ['every 0 minutes'], ['61 * * * *'], ['* * *'], ['@hourly'], ['*/0 * * * *']])('does not run %s', (schedule) => {
    expect(nextRun(schedule, 'UTC', at('2027-01-15T12:00:00Z'))).toBeNull();
  });
});
