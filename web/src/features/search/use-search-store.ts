/**
 * The search page's state: filters, the listings the server-side part of the filters found, and the results. A store,
 * so that going back from a profile finds the search as it was left.
 *
 * What the server filters: the place (geohash ranges of the area searched, or the best rated listings when no area
 * is set) and one `array-contains` (the specialty, else a term of the name or city typed). Everything else (the rest
 * of the text, modality, price, language, "this week", the exact box) is matched here on what came back.
 */
import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { findListings } from '../../data/search-listings';
import { siteId } from '../../plugins/site';
import { EMPTY_FILTERS, groupListings, searchResults, type SearchCandidate, type SearchFilters } from './search-filters';
import type { LatLngBox } from './geo-bounds';
import { listingQueryFor } from './search-query';

/** How long typing settles before the server is asked again. */
const TYPING_MS = 300;

export const useSearchStore = defineStore('use-search-store', () => {
  const filters = ref<SearchFilters>({ ...EMPTY_FILTERS });
  const loaded = shallowRef<SearchCandidate[]>([]);
  const pending = ref(false);
  const error = shallowRef<Error | null>(null);
  /** What the last search cost and whether it was cut by a limit (then the page asks to zoom in). */
  const documentsRead = ref(0);
  const truncated = ref(false);
  /** The uid under the pointer or selected, shared by the list and the map. */
  const highlighted = ref<string | null>(null);
  const selected = ref<string | null>(null);
  let loadedKey: string | null = null;
  let pendingKey: string | null = null;
  let generation = 0;

  const serverQuery = computed(() => listingQueryFor(filters.value));

  /** Runs the server-side part of the filters, unless the same query already answered (or `force`). */
  async function load(force = false): Promise<void> {
    const q = serverQuery.value;
    const key = JSON.stringify(q);
    if (!force && (key === loadedKey || key === pendingKey)) return;
    const mine = ++generation;
    pendingKey = key;
    pending.value = true;
    error.value = null;
    try {
      const page = await findListings(q);
      if (mine !== generation) return;
      loaded.value = groupListings(page.listings);
      documentsRead.value = page.documentsRead;
      truncated.value = page.truncated;
      loadedKey = key;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e : new Error(String(e));
    } finally {
      if (mine === generation) {
        pending.value = false;
        pendingKey = null;
      }
    }
  }

  // A new area or specialty asks at once; typed text once it settles (load() skips a query that already answered).
  let typing: ReturnType<typeof setTimeout> | undefined;
  watch([() => filters.value.area, () => filters.value.specialty], () => {
    clearTimeout(typing);
    void load();
  });
  watch(
    () => serverQuery.value.contains?.value,
    () => {
      clearTimeout(typing);
      typing = setTimeout(() => void load(), TYPING_MS);
    },
  );

  const results = computed(() => searchResults(loaded.value, filters.value, { siteId: siteId(), now: new Date() }));

  /** "Search this area": the listings of the offices inside the box. */
  function searchArea(box: LatLngBox): void {
    filters.value = { ...filters.value, area: box };
  }

  function clearArea(): void {
    filters.value = { ...filters.value, area: null };
  }

  return { filters, loaded, pending, error, documentsRead, truncated, highlighted, selected, results, load, searchArea, clearArea };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSearchStore, import.meta.hot));
