/**
 * When to remind a patient of an appointment, per channel.
 *
 * Each reminder carries a deterministic key (`${offset}m:${channel}`, unique within one appointment) that the sender
 * stores as its "already sent" marker, so retries and re-runs of the scheduler never send twice.
 *
 * A reminder whose time has already passed when the booking is made is dropped rather than sent late: a "24 hours
 * before" message sent 2 hours before would be wrong. In particular a booking made less than 60 minutes ahead gets
 * none of the 24 h reminders (nor the 1 h ones).
 */

export const REMINDER_CHANNELS = ['email', 'sms', 'push'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

/** Default offsets before the start: 24 h and 1 h. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [1440, 60];

export interface Reminder {
  channel: ReminderChannel;
  sendAt: Date;
  /** Idempotency key within the appointment, e.g. '1440m:sms'. */
  key: string;
}

export interface ReminderInput {
  start: Date;
  /** When the appointment was booked. */
  createdAt: Date;
  channels: readonly ReminderChannel[];
  /** Minutes before the start, positive integers; default [1440, 60]. */
  offsetsMinutes?: readonly number[];
}

const MINUTE_MS = 60_000;

function time(d: Date, what: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: not a valid Date`);
  return ms;
}

/**
 * Builds the reminders of one appointment.
 * @param input - start, booking time, channels (duplicates ignored) and offsets (duplicates ignored)
 * @returns reminders sorted by sendAt, then by channel in REMINDER_CHANNELS order; one per (offset, channel)
 * @throws RangeError on invalid dates or an offset that is not a positive integer
 */
export function reminderSchedule(input: ReminderInput): Reminder[] {
  const startMs = time(input.start, 'start');
  const createdMs = time(input.createdAt, 'createdAt');
  const offsets = [...new Set(input.offsetsMinutes ?? DEFAULT_REMINDER_OFFSETS_MINUTES)];
  for (const o of offsets) {
    if (!Number.isInteger(o) || o <= 0) throw new RangeError(`Reminder offsets must be positive integers, got ${o}`);
  }
  // Canonical channel order keeps the output independent of how the caller listed them.
  const channels = REMINDER_CHANNELS.filter((c) => input.channels.includes(c));
  const out: Reminder[] = [];
  for (const offset of offsets) {
    const sendAtMs = startMs - offset * MINUTE_MS;
    // Due exactly at booking time still counts (send now); strictly earlier is in the past.
    if (sendAtMs < createdMs) continue;
    for (const channel of channels) out.push({ channel, sendAt: new Date(sendAtMs), key: `${offset}m:${channel}` });
  }
  return out.sort(
    (a, b) =>
      a.sendAt.getTime() - b.sendAt.getTime() ||
      REMINDER_CHANNELS.indexOf(a.channel) - REMINDER_CHANNELS.indexOf(b.channel),
  );
}
