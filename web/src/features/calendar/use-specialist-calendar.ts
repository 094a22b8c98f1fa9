/**
 * The signed-in specialist's calendar, live: their offices (for names, zones and hours), the zone the calendar is
 * drawn in, and the appointments of the range on screen. The range is whatever the calendar reports (FullCalendar's
 * datesSet); each new range closes the old listener and opens one for the new range, and the last one closes with the
 * calling scope.
 */
import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { storeToRefs } from 'pinia';
import { useLive } from '../../components/use-live';
import { watchSpecialistAppointments, type AppointmentView } from '../../data/appointments';
import { watchOffices, type OfficeView } from '../../data/specialists';
import { localTimeZone } from '../../plugins/site';
import { useSessionStore } from '../session/use-session-store';
import { officeZones } from './calendar-zone';
import type { EventWords } from './calendar-events';

/** A range of instants, `to` excluded. */
export interface CalendarRange {
  from: Date;
  to: Date;
}

interface RangeKey extends CalendarRange {
  uid: string;
}

export function useSpecialistCalendar() {
  const { user } = storeToRefs(useSessionStore());
  const uid = computed(() => user.value?.uid ?? null);

  const offices = useLive<string, OfficeView[]>(uid, (u) => (next, error) => watchOffices(u, next, error), []);
  const byId = computed(() => new Map(offices.data.value.map((o) => [o.id, o])));

  /** The offices' zones, most used first; empty while loading or when the specialist has no office yet. */
  const zones = computed(() => officeZones(offices.data.value.map((o) => o.timeZone)));
  const picked = ref<string | null>(null);
  /**
   * The zone the calendar is drawn in: the one picked, else the offices' main zone. Only a specialist without offices
   * gets the browser's zone, and the page says so (`zoneIsBrowsers`).
   */
  const zone = computed(() => (picked.value && zones.value.includes(picked.value) ? picked.value : (zones.value[0] ?? localTimeZone())));
  const zoneIsBrowsers = computed(() => zones.value.length === 0);
  /** Whether the zone is settled (offices loaded or failed), so the calendar is not drawn twice in two zones. */
  const zoneReady = computed(() => !offices.pending.value);

  const range = shallowRef<CalendarRange | null>(null);
  const key = computed<RangeKey | null>(() => (uid.value && range.value ? { uid: uid.value, ...range.value } : null));
  const appointments = useLive<RangeKey, AppointmentView[]>(
    key,
    (k) => (next, error) => watchSpecialistAppointments(k.uid, k.from, k.to, next, error),
    [],
  );

  /**
   * Follows a new range; the same range again (FullCalendar reports it on every re-render) keeps the listener.
   * @param from - first instant shown
   * @param to - end of what is shown, excluded
   */
  function setRange(from: Date, to: Date): void {
    const r = range.value;
    if (r && r.from.getTime() === from.getTime() && r.to.getTime() === to.getTime()) return;
    range.value = { from, to };
  }

  /**
   * Draws the calendar in another of the offices' zones.
   * @param z - one of `zones`
   */
  function pickZone(z: string): void {
    picked.value = z;
  }

  return {
    appointments: appointments.data,
    offices: offices.data,
    office: (id: string) => byId.value.get(id),
    zone,
    zones,
    zoneIsBrowsers,
    zoneReady,
    pickZone,
    setRange,
    range,
    pending: computed(() => offices.pending.value || appointments.pending.value),
    error: computed(() => appointments.error.value ?? offices.error.value),
  };
}

/** The words of event titles in the current UI language (calendar.visitType.*, calendar.forDependant). */
export function useEventWords(): EventWords {
  const { t } = useI18n();
  return {
    visitType: (v) => t(`calendar.visitType.${v}`),
    dependant: (name) => t('calendar.forDependant', { name }),
  };
}
