/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core, a fresh profile per launch,
 * no network beyond loopback. Console errors are collected so tests can assert a clean run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Console errors and page errors seen so far, minus the SDK's known offline noise. */
  errors: string[];
  /** HTTP responses with status >= 400, as "status url" (the console's "Failed to load resource" lines name none). */
  failures: string[];
  close(): Promise<void>;
}

/** Known noise: the SDK pings www.google.com on channel errors, which fails offline. */
const NOISE = [/ERR_NAME_NOT_RESOLVED/, /cleardot\.gif/, /Failed to load resource/];

/** @param locale - the browser's language; Spanish (Colombia) by default, our first market. */
export async function launchBrowser(extraArgs: string[] = [], locale = 'es-CO'): Promise<Browser> {
  // The app marks elements for tests with data-test.
  selectors.setTestIdAttribute('data-test');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    locale,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  const errors: string[] = [];
  const failures: string[] = [];
  const watch = (p: Page) => {
    p.on('response', (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });
    p.on('console', (m) => {
      if (m.type() === 'error' && !NOISE.some((n) => n.test(m.text()))) errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(String(e)));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    failures,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
