/**
 * Leaflet with clustered markers, behind a small interface. Only ever loaded with `import()` (see use-leaflet.ts), so
 * Leaflet stays out of the initial chunk. Tiles come from VITE_MAP_TILE_URL; without it (offline, local stack) the map
 * is a plain background with markers, which is enough to search by area.
 */
import leaflet from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { LatLngBox } from './geo-bounds';

// leaflet.markercluster is a plugin of the global `L` (a UMD script): it must see Leaflet there before it loads.
(globalThis as { L?: typeof leaflet }).L = leaflet;
await import('leaflet.markercluster');

export interface MapMarker {
  /** Marker id (an office); `group` ties markers of one specialist together for highlighting. */
  id: string;
  group: string;
  lat: number;
  lng: number;
  label: string;
}

export interface MapOptions {
  tileUrl?: string;
  attribution?: string;
  /** Cluster markers (the search map) or not (a profile's few offices). */
  cluster: boolean;
  /** After the person pans or zooms (not after fitting to markers). */
  onMoved?: (box: LatLngBox) => void;
  onHover?: (group: string | null) => void;
  onSelect?: (group: string) => void;
}

export interface MapController {
  setMarkers(markers: readonly MapMarker[], fit: boolean): void;
  highlight(group: string | null): void;
  bounds(): LatLngBox;
  /** Shows a box (an area from a link, or the one searched before going back), without reporting it as a move. */
  showBox(box: LatLngBox): void;
  destroy(): void;
}

const DEFAULT_VIEW: [number, number] = [4.65, -74.08];

/**
 * Creates a map in an element.
 * @param el - the container (sized by CSS)
 * @param opts - tiles and callbacks
 */
export function createMap(el: HTMLElement, opts: MapOptions): MapController {
  // maxZoom on the map itself: with no tile layer nothing else sets it, and the cluster group needs it.
  const map = leaflet.map(el, { zoomControl: true, attributionControl: Boolean(opts.tileUrl), maxZoom: 18 }).setView(DEFAULT_VIEW, 3);
  if (opts.tileUrl) {
    leaflet.tileLayer(opts.tileUrl, { attribution: opts.attribution ?? '', maxZoom: 19 }).addTo(map);
  }
  el.classList.add(opts.tileUrl ? 'map-tiled' : 'map-plain');
  const layer = opts.cluster ? leaflet.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 }) : leaflet.featureGroup();
  layer.addTo(map);
  const byGroup = new Map<string, leaflet.Marker[]>();
  let fitting = false;

  // Without animation, fitBounds fires moveend synchronously inside the call, so this flag tells it from a person's move.
  map.on('moveend', () => {
    if (!fitting) opts.onMoved?.(boxOf(map));
  });

  const icon = (active: boolean) =>
    leaflet.divIcon({ className: `map-pin${active ? ' map-pin--active' : ''}`, html: '<span></span>', iconSize: [22, 22], iconAnchor: [11, 22] });

  return {
    setMarkers(markers, fit) {
      layer.clearLayers();
      byGroup.clear();
      for (const m of markers) {
        const marker = leaflet.marker([m.lat, m.lng], { icon: icon(false), title: m.label, alt: m.label, keyboard: true });
        marker.on('mouseover', () => opts.onHover?.(m.group));
        marker.on('mouseout', () => opts.onHover?.(null));
        marker.on('click', () => opts.onSelect?.(m.group));
        marker.bindTooltip(m.label);
        const list = byGroup.get(m.group) ?? [];
        list.push(marker);
        byGroup.set(m.group, list);
        layer.addLayer(marker);
      }
      if (fit && markers.length > 0) {
        fitting = true;
        try {
          map.fitBounds(leaflet.latLngBounds(markers.map((m) => [m.lat, m.lng])), { padding: [30, 30], maxZoom: 14, animate: false });
        } finally {
          fitting = false;
        }
      }
    },
    highlight(group) {
      for (const [g, list] of byGroup) {
        for (const marker of list) {
          marker.setIcon(icon(g === group));
          marker.setZIndexOffset(g === group ? 1000 : 0);
        }
      }
    },
    bounds: () => boxOf(map),
    showBox(box) {
      fitting = true;
      try {
        map.fitBounds([
          [box.south, box.west],
          [box.north, box.east],
        ], { animate: false });
      } finally {
        fitting = false;
      }
    },
    destroy: () => map.remove(),
  };
}

function boxOf(map: leaflet.Map): LatLngBox {
  const b = map.getBounds();
  return { south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() };
}
