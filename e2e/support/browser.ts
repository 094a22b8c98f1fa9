export { launchBrowser, type Browser } from '../../emulator/test/support/browser';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', '.out', 'screenshots');

/** Saves a full-page screenshot under .out/screenshots/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
