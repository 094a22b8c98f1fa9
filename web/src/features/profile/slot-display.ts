/**
 * From an office's schedule to what the profile shows: exceptions that apply to the office, the busy days to listen
 * to, and slots in both the office's and the patient's zone. Pure.
 */
import { utcToLocal, type ScheduleException, type Slot } from '@telesalud/domain';
import type { ExceptionView } from '../../data/specialists';

/**
 * The exceptions of one office: its own, and the specialist-wide ones on dates it has none of its own (an office's
 * own exception wins, as the booking callable reads them).
 * @param all - every exception of the specialist
 * @param officeId - the office
 */
export function exceptionsForOffice(all: readonly ExceptionView[], officeId: string): ScheduleException[] {
  const byDate = new Map<string, ScheduleException>();
  for (const e of all) {
    if (e.officeId !== undefined && e.officeId !== officeId) continue;
    if (byDate.has(e.date) && e.officeId === undefined) continue;
    byDate.set(e.date, e.kind === 'closed' ? { date: e.date, kind: 'closed' } : { date: e.date, kind: 'hours', intervals: e.intervals ?? [] });
  }
  return [...byDate.values()];
}

/** A slot as the profile lists it. */
export interface SlotRow {
  /** Stable key: office and start instant. */
  key: string;
  slot: Slot;
  /** In the office's zone. */
  officeDate: string;
  officeTime: string;
  /** In the patient's zone. */
  patientDate: string;
  patientTime: string;
  /** Days between the patient's date and the office's (e.g. +1 when it is already tomorrow for the patient). */
  dayShift: number;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A slot's key, used in lists and in test ids ("principal_2027-01-15T14:00:00.000Z"). */
export function slotKey(officeId: string, start: Date): string {
  return `${officeId}_${start.toISOString()}`;
}

/**
 * Slots with their wall times in both zones.
 * @param slots - from generateSlots (localDate/localTime are already the office's)
 * @param patientZone - the patient's IANA zone
 */
export function slotRows(slots: readonly Slot[], patientZone: string): SlotRow[] {
  return slots.map((slot) => {
    const p = utcToLocal(slot.start, patientZone);
    return {
      key: slotKey(slot.officeId, slot.start),
      slot,
      officeDate: slot.localDate,
      officeTime: slot.localTime,
      patientDate: p.date,
      patientTime: p.time,
      dayShift: daysBetween(slot.localDate, p.date),
    };
  });
}

/** Rows grouped by the office's local date, in order. */
export function groupByOfficeDate(rows: readonly SlotRow[]): { date: string; rows: SlotRow[] }[] {
  const groups: { date: string; rows: SlotRow[] }[] = [];
  for (const r of rows) {
    const last = groups.at(-1);
    if (last && last.date === r.officeDate) last.rows.push(r);
    else groups.push({ date: r.officeDate, rows: [r] });
  }
  return groups;
}
