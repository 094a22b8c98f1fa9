/** A specialist's public page, live: profile, offices, reviews and exceptions from today on. */
import { computed, type Ref } from 'vue';
import { utcToLocal } from '@telesalud/domain';
import { useLive } from '../../components/use-live';
import { watchExceptions, watchOffices, watchReviews, watchSpecialist, type ExceptionView, type OfficeView, type ReviewView, type SpecialistProfile } from '../../data/specialists';

export function useSpecialistProfile(uid: Ref<string>) {
  const specialist = useLive<string, SpecialistProfile | null>(uid, (u) => (next, error) => watchSpecialist(u, next, error), null);
  const offices = useLive<string, OfficeView[]>(uid, (u) => (next, error) => watchOffices(u, next, error), []);
  const reviews = useLive<string, ReviewView[]>(uid, (u) => (next, error) => watchReviews(u, next, error), []);
  // Exceptions from yesterday (UTC) on: an office west of UTC may still be on that date.
  const fromDate = utcToLocal(new Date(Date.now() - 86_400_000), 'UTC').date;
  const exceptions = useLive<string, ExceptionView[]>(uid, (u) => (next, error) => watchExceptions(u, fromDate, next, error), []);
  const pending = computed(() => specialist.pending.value || offices.pending.value);
  const error = computed(() => specialist.error.value ?? offices.error.value ?? reviews.error.value ?? exceptions.error.value);
  return { specialist: specialist.data, offices: offices.data, reviews: reviews.data, exceptions: exceptions.data, pending, error };
}
