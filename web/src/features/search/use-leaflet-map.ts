/**
 * A Leaflet map in a template ref, loaded on demand (dynamic import, its own chunk). A failure to load or draw the map
 * is reported in `failed` and never breaks the page around it.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef, type Ref } from 'vue';
import type { MapController, MapOptions } from './leaflet-map';

export function useLeafletMap(el: Ref<HTMLElement | null>, opts: Omit<MapOptions, 'tileUrl' | 'attribution'>) {
  const controller = shallowRef<MapController | null>(null);
  const failed = ref(false);
  let disposed = false;

  onMounted(async () => {
    try {
      const { createMap } = await import('./leaflet-map');
      const target = el.value;
      if (disposed || !target) return;
      const env = import.meta.env;
      controller.value = createMap(target, {
        ...opts,
        ...(env.VITE_MAP_TILE_URL ? { tileUrl: env.VITE_MAP_TILE_URL } : {}),
        ...(env.VITE_MAP_TILE_ATTRIBUTION ? { attribution: env.VITE_MAP_TILE_ATTRIBUTION } : {}),
      });
    } catch (e) {
      failed.value = true;
      // The list still works without the map; the reason goes to the console for whoever debugs it.
      console.warn('Map unavailable', e);
    }
  });

  onBeforeUnmount(() => {
    disposed = true;
    controller.value?.destroy();
    controller.value = null;
  });

  return { controller, failed };
}
