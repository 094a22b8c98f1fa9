/**
 * The next free slots of a specialist's bookable offices, computed in the browser with the domain's generateSlots
 * from weekly hours, exceptions and the live busy projection: one listener per UTC day shown, so a slot someone else
 * books disappears at once. Listeners follow the displayed days and close on scope dispose. Only slots inside the
 * specialist's booking window (minimum notice, horizon: the domain's bookingWindow, which the server enforces) are
 * offered.
 */
import { computed, onScopeDispose, ref, shallowReactive, watch, type Ref } from 'vue';
import { bookingWindow, generateSlots, priceFor, type BookingSettings, type Slot } from '@telesalud/domain';
import { busyDayIds } from '@telesalud/domain';
import { watchBusyDay, type BusySpan } from '../../data/busy';
import type { ExceptionView, OfficeView, SpecialistProfile } from '../../data/specialists';
import { exceptionsForOffice } from './slot-display';

const DAY_MS = 86_400_000;
/** How far ahead the profile offers slots (less when the specialist's horizon is shorter). */
export const SLOT_DAYS = 7;

/** Offices that can be booked on this portal: the modality is accepted and there is a price for the site. */
export function bookableOffices(specialist: SpecialistProfile | null, offices: readonly OfficeView[], siteId: string): OfficeView[] {
  if (!specialist || specialist.status !== 'approved') return [];
  return offices.filter((o) => (o.modality === 'video' ? specialist.acceptsVideo : specialist.acceptsInPerson) && priceFor({ prices: o.prices, siteId }) !== null);
}

/**
 * The live free slots.
 * @param uid - the specialist
 * @param offices - the bookable offices
 * @param exceptions - the specialist's exceptions
 * @param settings - the specialist's booking settings in force (bookingSettingsOf)
 */
export function useFreeSlots(uid: Ref<string>, offices: Ref<OfficeView[]>, exceptions: Ref<ExceptionView[]>, settings: Ref<BookingSettings>) {
  const now = ref(new Date());
  const timer = setInterval(() => (now.value = new Date()), 60_000);
  const busy = shallowReactive(new Map<string, BusySpan[]>());
  const listeners = new Map<string, () => void>();
  const error = ref<Error | null>(null);

  const days = computed(() => busyDayIds(now.value, new Date(now.value.getTime() + SLOT_DAYS * DAY_MS)).join(','));

  function closeAll(): void {
    for (const stop of listeners.values()) stop();
    listeners.clear();
    busy.clear();
  }

  watch(
    [uid, days],
    ([u, list], old) => {
      if (old && old[0] !== u) closeAll();
      const wanted = new Set(list.split(','));
      for (const [day, stop] of listeners) {
        if (!wanted.has(day)) {
          stop();
          listeners.delete(day);
          busy.delete(day);
        }
      }
      for (const day of wanted) {
        if (listeners.has(day)) continue;
        listeners.set(
          day,
          watchBusyDay(
            u,
            day,
            (spans) => busy.set(day, spans),
            (e) => (error.value = e),
          ),
        );
      }
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    clearInterval(timer);
    closeAll();
  });

  /** True until every displayed day has answered once: slots shown before would include taken ones. */
  const pending = computed(() => days.value.split(',').some((d) => !busy.has(d)));

  const slots = computed<Slot[]>(() => {
    if (pending.value) return [];
    const from = now.value;
    const { latest } = bookingWindow(from, settings.value);
    const to = new Date(Math.min(from.getTime() + SLOT_DAYS * DAY_MS, latest.getTime()));
    const taken = [...busy.values()].flat();
    return offices.value
      .flatMap((office) =>
        generateSlots({
          office,
          officeId: office.id,
          from,
          to,
          exceptions: exceptionsForOffice(exceptions.value, office.id),
          busy: taken,
          now: from,
          minNoticeMinutes: settings.value.minNoticeMinutes,
        }),
      )
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  });

  return { slots, pending, error, now };
}
