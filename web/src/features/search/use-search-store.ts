/**
 * The search page's state: filters, the approved profiles read for the chosen specialty with their offices, and the
 * results. A store, so that going back from a profile finds the search as it was left.
 */
import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SpecialtyCode } from '@telesalud/domain';
import { listApprovedSpecialists, listOffices, type OfficeView, type SpecialistProfile } from '../../data/specialists';
import { siteId } from '../../plugins/site';
import { EMPTY_FILTERS, searchResults, type SearchFilters } from './search-filters';
import type { LatLngBox } from './geo-bounds';

export const useSearchStore = defineStore('use-search-store', () => {
  const filters = ref<SearchFilters>({ ...EMPTY_FILTERS });
  const loaded = shallowRef<{ specialist: SpecialistProfile; offices: OfficeView[] }[]>([]);
  const pending = ref(false);
  const error = shallowRef<Error | null>(null);
  /** The uid under the pointer or selected, shared by the list and the map. */
  const highlighted = ref<string | null>(null);
  const selected = ref<string | null>(null);
  // Offices change rarely; read once per specialist per visit.
  const officesCache = new Map<string, Promise<OfficeView[]>>();
  let loadedFor: SpecialtyCode | null | undefined;
  let generation = 0;

  /** Reads the approved profiles of the filter's specialty (server-side filter) and their offices. */
  async function load(force = false): Promise<void> {
    const specialty = filters.value.specialty;
    if (!force && loadedFor === specialty && loaded.value.length > 0) return;
    const mine = ++generation;
    pending.value = true;
    error.value = null;
    try {
      const specialists = await listApprovedSpecialists(specialty ?? undefined);
      const withOffices = await Promise.all(
        specialists.map(async (specialist) => {
          let offices = officesCache.get(specialist.uid);
          if (!offices) {
            offices = listOffices(specialist.uid);
            officesCache.set(specialist.uid, offices);
            void offices.catch(() => officesCache.delete(specialist.uid));
          }
          return { specialist, offices: await offices };
        }),
      );
      if (mine !== generation) return;
      loaded.value = withOffices;
      loadedFor = specialty;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e : new Error(String(e));
    } finally {
      if (mine === generation) pending.value = false;
    }
  }

  const results = computed(() => searchResults(loaded.value, filters.value, { siteId: siteId(), now: new Date() }));

  /** "Search this area": restricts the results to offices inside the box. */
  function searchArea(box: LatLngBox): void {
    filters.value = { ...filters.value, area: box };
  }

  function clearArea(): void {
    filters.value = { ...filters.value, area: null };
  }

  return { filters, loaded, pending, error, highlighted, selected, results, load, searchArea, clearArea };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSearchStore, import.meta.hot));
