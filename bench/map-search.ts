/**
 * Map search over 5,000 specialists on a local stack (our engine with the real firestore.rules, the Vite dev server):
 * the search reads only searchListings, so the 5,000 are seeded as the listings the trigger computes for them
 * (`searchListingsFor`, one per office, 40% with a video office too), spread around six cities.
 * For each viewport it prints:
 *   - the queries the page runs (the page's own `listingQueryFor` + `findListings`, signed out, over the web SDK in
 *     Node): p50 of 5 runs, documents read, listings and specialists found, whether a limit cut them;
 *   - the page in Chromium: from navigation to the list showing that many results and the map its markers (p50 of 3
 *     loads after a warm-up; the dev server serves unbundled modules, so a production build loads faster).
 * Asserts nothing.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp } from 'firebase-admin/app';
import { getFirestore as getAdminFirestore } from 'firebase-admin/firestore';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectFirestoreEmulator, getFirestore } from 'firebase/firestore';
import {
  geohash,
  paths,
  searchListingsFor,
  SPECIALTY_CODES,
  type Office,
  type Specialist,
  type SpecialtyCode,
} from '../domain/src';
import { startStack, PROJECT_ID } from '../scripts/stack';
import { launchBrowser } from '../e2e/support/browser';
import { findListings } from '../web/src/data/search-listings';
import { EMPTY_FILTERS, groupListings, searchResults, type SearchFilters } from '../web/src/features/search/search-filters';
import { listingQueryFor } from '../web/src/features/search/search-query';
import { formatBox, type LatLngBox } from '../web/src/features/search/geo-bounds';
import { pct } from './support/stats';

const ports = { firestore: 15080, storage: 15199, auth: 15099, functions: 15001, web: 15173, hub: 15400, logging: 15500 };
const SPECIALISTS = 5_000;
const CITIES = [
  { city: 'Bogotá', country: 'CO', lat: 4.65, lng: -74.08, timeZone: 'America/Bogota', currency: 'COP', fee: 15_000_000 },
  { city: 'Medellín', country: 'CO', lat: 6.24, lng: -75.58, timeZone: 'America/Bogota', currency: 'COP', fee: 12_000_000 },
  { city: 'Ciudad de México', country: 'MX', lat: 19.43, lng: -99.13, timeZone: 'America/Mexico_City', currency: 'MXN', fee: 100_000 },
  { city: 'Santiago', country: 'CL', lat: -33.45, lng: -70.66, timeZone: 'America/Santiago', currency: 'CLP', fee: 40_000 },
  { city: 'Buenos Aires', country: 'AR', lat: -34.6, lng: -58.38, timeZone: 'America/Argentina/Buenos_Aires', currency: 'ARS', fee: 3_500_000 },
  { city: 'Madrid', country: 'ES', lat: 40.42, lng: -3.7, timeZone: 'Europe/Madrid', currency: 'EUR', fee: 8_000 },
] as const;

/** A small deterministic generator, so every run seeds the same world. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** The listings of the synthetic world, as the trigger would write them. */
function world(): { id: string; listing: Record<string, unknown> }[] {
  const rnd = random(42);
  const out: { id: string; listing: Record<string, unknown> }[] = [];
  for (let i = 0; i < SPECIALISTS; i++) {
    const c = CITIES[i % CITIES.length] ?? CITIES[0];
    // Offices within about 15 km of the centre, denser near it.
    const r = 0.15 * rnd() * rnd();
    const a = 2 * Math.PI * rnd();
    const lat = c.lat + r * Math.cos(a);
    const lng = c.lng + r * Math.sin(a);
    const specialty: SpecialtyCode = SPECIALTY_CODES[Math.floor(rnd() * SPECIALTY_CODES.length)] ?? 'medicina_general';
    const video = rnd() < 0.4;
    const profile: Specialist = {
      displayName: `Dra. Especialista ${i} Bench`,
      title: 'Dra.',
      bio: 'Perfil de prueba de carga.',
      education: [],
      specialties: [specialty],
      areasOfExpertise: [],
      languages: rnd() < 0.2 ? ['es', 'en'] : ['es'],
      clinicIds: [],
      status: 'approved',
      paymentPolicy: rnd() < 0.5 ? 'prepay' : 'pay_at_visit',
      acceptsVideo: video,
      acceptsInPerson: true,
      ratingAverage: Math.round((3 + 2 * rnd()) * 10) / 10,
      ratingCount: Math.floor(50 * rnd()),
      cities: [c.city],
    };
    const office: Office = {
      name: `Consultorio ${i}`,
      address: `Calle ${i}`,
      city: c.city,
      country: c.country,
      location: { lat, lng },
      geohash: geohash(lat, lng),
      timeZone: c.timeZone,
      modality: 'in_person',
      weeklyHours: { mon: [{ start: '08:00', end: '12:00' }], thu: [{ start: '14:00', end: '18:00' }] },
      breaks: [],
      slotMinutes: 30,
      bufferMinutes: 10,
      prices: [{ siteId: 'telesalud', price: { amount: Math.round(c.fee * (0.6 + rnd())), currency: c.currency } }],
    };
    const offices = [{ id: 'principal', office }];
    if (video) offices.push({ id: 'video', office: { ...office, name: 'Videoconsulta', modality: 'video' } });
    out.push(...searchListingsFor(`esp-bench-${i}`, profile, offices));
  }
  return out;
}

/** A box of about `km` kilometres around a point. */
function boxAround(lat: number, lng: number, km: number): LatLngBox {
  const dLat = km / 2 / 111;
  const dLng = km / 2 / (111 * Math.cos((lat * Math.PI) / 180));
  return { south: lat - dLat, west: lng - dLng, north: lat + dLat, east: lng + dLng };
}

const SCENARIOS: { name: string; filters: SearchFilters }[] = [
  { name: 'no area (best rated)', filters: { ...EMPTY_FILTERS } },
  { name: 'Bogotá, 5 km viewport', filters: { ...EMPTY_FILTERS, area: boxAround(4.65, -74.08, 5) } },
  { name: 'Bogotá, 20 km viewport', filters: { ...EMPTY_FILTERS, area: boxAround(4.65, -74.08, 20) } },
  { name: 'Bogotá, 20 km, dermatology', filters: { ...EMPTY_FILTERS, specialty: 'dermatologia', area: boxAround(4.65, -74.08, 20) } },
  { name: 'Colombia, 600 km viewport', filters: { ...EMPTY_FILTERS, area: boxAround(5.5, -75, 600) } },
];

/** The page's URL for a scenario: the area as `zona`, the specialty as the landing box's `q`. */
function urlOf(f: SearchFilters): string {
  const params = new URLSearchParams();
  if (f.area) params.set('zona', formatBox(f.area));
  if (f.specialty) params.set('q', f.specialty);
  const query = params.toString();
  return query ? `buscar?${query}` : 'buscar';
}

const stack = await startStack({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'bench-map-')), web: true, seed: true, quiet: true, ports });
const adminApp = initializeAdminApp({ projectId: PROJECT_ID }, 'bench-map-admin');
const webApp = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key' }, 'bench-map-web');
const browser = await launchBrowser();
try {
  await stack.whenTriggersIdle();
  const admin = getAdminFirestore(adminApp);
  const listings = world();
  const t0 = performance.now();
  for (let i = 0; i < listings.length; i += 500) {
    const batch = admin.batch();
    for (const l of listings.slice(i, i + 500)) batch.set(admin.doc(paths.searchListing(l.id)), l.listing);
    await batch.commit();
  }
  console.log(`seeded ${SPECIALISTS} specialists as ${listings.length} listings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const db = getFirestore(webApp);
  connectFirestoreEmulator(db, '127.0.0.1', ports.firestore);
  const ctx = { siteId: 'telesalud', now: new Date() };
  const page = await browser.newPage();
  // Warm-up: the dev server compiles the page and pre-bundles Leaflet on first request.
  await page.goto(`${stack.urls.web}${urlOf(SCENARIOS[1]?.filters ?? EMPTY_FILTERS)}`);
  await page.locator('.map-pin, .marker-cluster').first().waitFor({ timeout: 120_000 });

  console.log('viewport                      | query p50 | docs read | listings | specialists | cut | page p50');
  for (const s of SCENARIOS) {
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof findListings>> | undefined;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      last = await findListings(listingQueryFor(s.filters), db);
      times.push(performance.now() - start);
    }
    if (!last) throw new Error('no run');
    const expected = searchResults(groupListings(last.listings), s.filters, ctx);
    const markers = expected.reduce((n, r) => n + r.mapOffices.length, 0);
    const pageTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.goto('about:blank');
      const start = performance.now();
      await page.goto(`${stack.urls.web}${urlOf(s.filters)}`);
      await page.waitForFunction(
        ([n, withMarkers]) => {
          const count = document.querySelector('[data-test="result-count"]')?.textContent ?? '';
          const cards = document.querySelectorAll('[data-test^="result-esp-"]').length;
          const pins = document.querySelectorAll('.map-pin, .marker-cluster').length;
          // The list draws its first page of 30 cards; the count names them all.
          return cards === Math.min(n, 30) && count.includes(String(n)) && (!withMarkers || pins > 0);
        },
        [expected.length, markers > 0] as const,
        { timeout: 60_000 },
      );
      pageTimes.push(performance.now() - start);
    }
    const specialists = new Set(last.listings.map((l) => l.specialistUid)).size;
    console.log(
      `${s.name.padEnd(29)} | ${pct(times, 50).toFixed(0).padStart(6)} ms | ${String(last.documentsRead).padStart(9)} | ${String(last.listings.length).padStart(8)} | ${String(specialists).padStart(11)} | ${last.truncated ? 'yes' : ' no'} | ${pct(pageTimes, 50).toFixed(0).padStart(5)} ms (${expected.length} cards, ${markers} markers)`,
    );
  }
} finally {
  await browser.close();
  await deleteApp(webApp);
  await deleteAdminApp(adminApp);
  await stack.stop();
}
