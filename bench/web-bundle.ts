/**
 * Web bundle figures: builds web/ (vite build with a manifest, into a temporary directory), then prints the gzip size of
 * the JS a visit to /buscar loads before any lazy import (the entry and the search page's static imports), and checks
 * through the source maps that heavy libraries — Leaflet, FullCalendar, Stripe, Agora — are in none of those chunks.
 * Prints figures; exits 1 only when a heavy library is in the initial chunks.
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
  const searchPage = Object.keys(manifest).find((k) => k.endsWith('src/pages/SearchPage.vue'));
  if (!entry || !searchPage) throw new Error('entry or SearchPage not in the manifest');

  const gz = (keys: Set<string>) =>
    [...keys].reduce((n, k) => {
      const file = manifest[k]?.file;
      return file?.endsWith('.js') ? n + gzipSync(readFileSync(path.join(out, file))).length : n;
    }, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const appInitial = closure([entry]);
  const searchInitial = closure([entry, searchPage]);
  console.log(`initial JS (any page)     gzip ${kb(gz(appInitial))} in ${appInitial.size} chunks`);
  console.log(`initial JS of /buscar     gzip ${kb(gz(searchInitial))} in ${searchInitial.size} chunks`);

  let bad = false;
  const inInitial = (lib: RegExp) =>
    [...searchInitial].filter((k) => {
      const file = manifest[k]?.file;
      const map = file ? path.join(out, `${file}.map`) : '';
      if (!file?.endsWith('.js') || !existsSync(map)) return false;
      const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
      return sources.some((s) => lib.test(s));
    });
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
  if (bad) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
