/**
 * Web bundle figures: builds web/ (vite build with a manifest, into a temporary directory), then prints the gzip size of
 * the JS a visit to /buscar loads before any lazy import (the entry and the search page's static imports), and checks
 * through the source maps that heavy libraries — Leaflet, FullCalendar, Stripe, Agora — are in none of those chunks nor
 * in the area homes'. Also prints the specialist calendar route (/especialista/agenda): what it adds to the initial JS,
 * and that FullCalendar arrives with it and only with it.
 * Prints figures; exits 1 when a heavy library is in the initial chunks or FullCalendar is not in the calendar's.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const WEB = path.resolve(import.meta.dirname, '..', 'web');
const HEAVY: Record<string, RegExp> = {
  leaflet: /node_modules\/leaflet\//,
  'leaflet.markercluster': /node_modules\/leaflet\.markercluster\//,
  fullcalendar: /node_modules\/@fullcalendar\//,
  stripe: /node_modules\/@stripe\//,
  agora: /node_modules\/agora-/,
};

const out = mkdtempSync(path.join(os.tmpdir(), 'telesalud-web-build-'));
try {
  const t0 = performance.now();
  const build = spawnSync(path.resolve(WEB, '..', 'node_modules', '.bin', 'vite'), ['build', '--manifest', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) throw new Error(`vite build failed (${build.status})`);
  console.log(`build               ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const manifest = JSON.parse(readFileSync(path.join(out, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const closure = (keys: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (k: string) => {
      if (seen.has(k)) return;
      seen.add(k);
      for (const i of manifest[k]?.imports ?? []) visit(i);
    };
    keys.forEach(visit);
    return seen;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  const page = (name: string) => Object.keys(manifest).find((k) => k.endsWith(`src/pages/${name}.vue`));
  const searchPage = page('SearchPage');
  const areaHome = page('AreaHome');
  const calendarPage = page('SpecialistCalendarPage');
  if (!entry || !searchPage || !areaHome || !calendarPage) throw new Error('entry, SearchPage, AreaHome or SpecialistCalendarPage not in the manifest');

  const gz = (keys: Set<string>) =>
    [...keys].reduce((n, k) => {
      const file = manifest[k]?.file;
      return file?.endsWith('.js') ? n + gzipSync(readFileSync(path.join(out, file))).length : n;
    }, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const appInitial = closure([entry]);
  const searchInitial = closure([entry, searchPage]);
  const homeInitial = closure([entry, areaHome]);
  const calendarInitial = closure([entry, calendarPage]);
  // What opening the calendar adds to what every page loads anyway: the route's own chunks.
  const calendarOwn = new Set([...calendarInitial].filter((k) => !appInitial.has(k)));
  console.log(`initial JS (any page)     gzip ${kb(gz(appInitial))} in ${appInitial.size} chunks`);
  console.log(`initial JS of /buscar     gzip ${kb(gz(searchInitial))} in ${searchInitial.size} chunks`);
  console.log(`initial JS of area homes  gzip ${kb(gz(homeInitial))} in ${homeInitial.size} chunks`);
  console.log(`initial JS of /especialista/agenda gzip ${kb(gz(calendarInitial))} in ${calendarInitial.size} chunks, of which the route's own gzip ${kb(gz(calendarOwn))}`);

  let bad = false;
  const hasLib = (lib: RegExp) => (k: string) => {
    const file = manifest[k]?.file;
    const map = file ? path.join(out, `${file}.map`) : '';
    if (!file?.endsWith('.js') || !existsSync(map)) return false;
    const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
    return sources.some((s) => lib.test(s));
  };
  // The initial chunks of the pages everyone may open first: the entry, the search page and the area homes.
  const initialChunks = new Set([...searchInitial, ...homeInitial]);
  const inInitial = (lib: RegExp) => [...initialChunks].filter(hasLib(lib));
  for (const [name, re] of Object.entries(HEAVY)) {
    const all = Object.values(manifest).filter((c) => {
      const map = path.join(out, `${c.file}.map`);
      return c.file.endsWith('.js') && existsSync(map) && (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.some((s) => re.test(s));
    });
    const initial = inInitial(re);
    if (initial.length > 0) bad = true;
    const where = all.length === 0 ? 'not in the bundle' : initial.length > 0 ? `IN THE INITIAL CHUNKS (${initial.join(', ')})` : `lazy only (${all.map((c) => c.file).join(', ')}, gzip ${kb(all.reduce((n, c) => n + gzipSync(readFileSync(path.join(out, c.file))).length, 0))})`;
    console.log(`${name.padEnd(22)} ${where}`);
  }
  // FullCalendar belongs to the calendar route: were it missing there, "not in the initial chunks" would prove nothing.
  const calendarChunks = [...calendarOwn].filter(hasLib(HEAVY.fullcalendar ?? /$^/));
  if (calendarChunks.length === 0) bad = true;
  console.log(
    `${'calendar route'.padEnd(22)} ${calendarChunks.length > 0 ? `FullCalendar in ${calendarChunks.map((k) => manifest[k]?.file).join(', ')} (gzip ${kb(gz(new Set(calendarChunks)))})` : 'FULLCALENDAR NOT IN THE CALENDAR ROUTE'}`,
  );
  if (bad) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
