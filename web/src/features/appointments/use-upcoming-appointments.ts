/** The signed-in patient's upcoming appointments, live, with the specialists' names read once each. */
import { computed, reactive, watch } from 'vue';
import { storeToRefs } from 'pinia';
import { useLive } from '../../components/use-live';
import { watchUpcomingAppointments, type AppointmentView } from '../../data/appointments';
import { getSpecialist } from '../../data/specialists';
import { useSessionStore } from '../session/use-session-store';

export function useUpcomingAppointments() {
  const { user } = storeToRefs(useSessionStore());
  const now = new Date();
  const live = useLive<string, AppointmentView[]>(
    () => user.value?.uid ?? null,
    (uid) => (next, error) => watchUpcomingAppointments(uid, now, next, error),
    [],
  );
  const names = reactive(new Map<string, string>());
  const asked = new Set<string>();
  const upcoming = computed(() => live.data.value.filter((a) => a.status !== 'cancelled' && a.end.getTime() > Date.now()));
  watch(upcoming, (list) => {
    for (const a of list) {
      if (asked.has(a.specialistUid)) continue;
      asked.add(a.specialistUid);
      getSpecialist(a.specialistUid).then(
        (s) => s && names.set(a.specialistUid, s.displayName),
        // Without the name the row says "Especialista"; the list itself still works.
        () => asked.delete(a.specialistUid),
      );
    }
  });
  return { upcoming, names, pending: live.pending, error: live.error };
}
