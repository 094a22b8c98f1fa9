/** Journey: seeded people sign in and land in their own area; roles are enforced; a newcomer signs up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Stack } from '../scripts/stack';
import { DEMO_LOGINS } from '../scripts/seed';
import { startE2eStack } from './support/stack';
import { launchBrowser, screenshot, type Browser } from './support/browser';

let stack: Stack;
let browser: Browser;

const login = (email: string) => {
  const l = DEMO_LOGINS.find((x) => x.email === email);
  if (!l) throw new Error(`no demo login ${email}`);
  return l;
};

/** Pages of one browser share the signed-in user: each journey starts signed out. */
async function signOutIfNeeded(page: Page): Promise<void> {
  await page.goto(stack.urls.web);
  await page.getByTestId('brand').waitFor();
  const out = page.getByTestId('sign-out');
  if (await out.isVisible()) {
    await out.click();
    await page.getByTestId('go-sign-in').waitFor();
  }
}

async function signIn(page: Page, email: string): Promise<void> {
  await signOutIfNeeded(page);
  await page.goto(`${stack.urls.web}ingresar`);
  await page.getByTestId('email').locator('input').fill(email);
  await page.getByTestId('password').locator('input').fill(login(email).password);
  await page.getByTestId('submit').click();
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('sign-in journey', () => {
  it('a seeded patient signs in and sees their own area with their name', async () => {
    const page = await browser.newPage();
    await signIn(page, 'paciente@demo.telesalud.test');
    await page.waitForURL('**/paciente');
    await expect.poll(() => page.getByTestId('area-title').textContent()).toContain('Ana Torres');
    await expect.poll(() => page.getByTestId('section-upcoming').isVisible()).toBe(true);
    await screenshot(page, 'patient-home');
    // A patient cannot open the specialist area.
    await page.goto(`${stack.urls.web}especialista`);
    await page.waitForURL('**/sin-acceso');
    await expect.poll(() => page.getByTestId('forbidden').isVisible()).toBe(true);
    await page.getByTestId('sign-out').click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.close();
  });

  it('a seeded specialist lands in the specialist area; wrong passwords get a clear message', async () => {
    const page = await browser.newPage();
    await signOutIfNeeded(page);
    await page.goto(`${stack.urls.web}ingresar`);
    await page.getByTestId('email').locator('input').fill('especialista@demo.telesalud.test');
    await page.getByTestId('password').locator('input').fill('wrong-password');
    await page.getByTestId('submit').click();
    await expect.poll(() => page.getByTestId('auth-error').textContent()).toContain('Correo o contraseña incorrectos');
    await signIn(page, 'especialista@demo.telesalud.test');
    await page.waitForURL('**/especialista');
    await expect.poll(() => page.getByTestId('area-title').textContent()).toContain('Valentina Rojas');
    await screenshot(page, 'specialist-home');
    await page.close();
  });

  it('clinic staff land in the clinic area', async () => {
    const page = await browser.newPage();
    await signIn(page, 'recepcion.andina@demo.telesalud.test');
    await page.waitForURL('**/clinica');
    await expect.poll(() => page.getByTestId('section-portal').isVisible()).toBe(true);
    await page.close();
  });

  it('a newcomer signs up, gets a profile and lands in the patient area; the UI switches to English', async () => {
    const page = await browser.newPage();
    await signOutIfNeeded(page);
    await page.goto(`${stack.urls.web}registro`);
    await page.getByTestId('name').locator('input').fill('Rosa Jiménez');
    await page.getByTestId('email').locator('input').fill('rosa.jimenez@example.com');
    await page.getByTestId('phone').locator('input').fill('+57 310 555 0000');
    await page.getByTestId('password').locator('input').fill('una-clave-segura');
    await page.getByTestId('submit').click();
    await page.waitForURL('**/paciente');
    await expect.poll(() => page.getByTestId('area-title').textContent()).toContain('Rosa Jiménez');
    await page.getByTestId('locale-en').click();
    await expect.poll(() => page.getByTestId('area-title').textContent()).toBe('Hello, Rosa Jiménez');
    // The profile document was written through the engine with the server's timestamp.
    const res = await fetch(`${stack.urls.firestore}/v1/projects/demo-telesalud/databases/(default)/documents/users?pageSize=100`, {
      headers: { Authorization: 'Bearer owner' },
    });
    const body = (await res.json()) as { documents: { name: string; fields: Record<string, { stringValue?: string; timestampValue?: string }> }[] };
    const rosaId = (d: { name: string } | undefined) => d?.name.split('/').pop() ?? '';
    const rosa = body.documents.find((d) => d.fields.email?.stringValue === 'rosa.jimenez@example.com');
    expect(rosa?.fields.displayName?.stringValue).toBe('Rosa Jiménez');
    expect(rosa?.fields.createdAt?.timestampValue).toMatch(/^\d{4}-/);
    // The usersOnCreated Cloud Function ran through the Functions emulator and granted the patient role.
    await stack.whenTriggersIdle();
    const after = await fetch(
      `${stack.urls.firestore}/v1/projects/demo-telesalud/databases/(default)/documents/users/${encodeURIComponent(rosaId(rosa))}`,
      { headers: { Authorization: 'Bearer owner' } },
    );
    const profile = (await after.json()) as { fields: Record<string, { stringValue?: string; timestampValue?: string }> };
    expect(profile.fields.roleStatus?.stringValue).toBe('active');
    expect(profile.fields.claimsSyncedAt?.timestampValue).toMatch(/^\d{4}-/);
    await page.close();
  });

  it('works at 375 px wide without horizontal scrolling', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page, 'paciente@demo.telesalud.test');
    await page.waitForURL('**/paciente');
    await expect.poll(() => page.getByTestId('area-title').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'patient-home-375');
    await page.close();
    expect(browser.errors).toEqual([]);
    // The only failed request of the whole journey is the deliberate wrong password.
    expect(browser.failures).toEqual([expect.stringMatching(/^400 .*accounts:signInWithPassword/)]);
  });
});
