/**
 * Journey: patient A finds a doctor on the map, opens the profile, signs in from a slot and books it; patient B, who has
 * the same profile open in another browser, sees that slot disappear without reloading; the doctor, who has her
 * calendar open on that week in a third browser, sees the booking appear in it without reloading. Plus the search
 * page, the profile and the calendar at 375 px.
 * Three browsers (three people), one tab each: the engine's hanging streams allow two or three tabs at once (README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Stack } from '../scripts/stack';
import { DEMO_LOGINS, world } from '../scripts/seed';
import { utcToLocal } from '../domain/src';
import { startE2eStack } from './support/stack';
import { launchBrowser, screenshot, type Browser } from './support/browser';

const DOCTOR = 'esp-valentina-rojas';
/** The demo login of DOCTOR (scripts/seed.ts DEMO_LOGINS). */
const DOCTOR_EMAIL = 'especialista@demo.telesalud.test';
let stack: Stack;
let a: Browser;
let b: Browser;
let c: Browser;

function password(email: string): string {
  const l = DEMO_LOGINS.find((x) => x.email === email);
  if (!l) throw new Error(`no demo login ${email}`);
  return l.password;
}

/** The test id of the first free slot of an office on an open profile. */
async function firstSlot(page: Page, officeId: string): Promise<string> {
  const first = page.locator(`[data-test^="slot-${officeId}_"]`).first();
  await first.waitFor();
  const id = await first.getAttribute('data-test');
  if (!id) throw new Error('slot without a test id');
  return id;
}

/**
 * The doctor signs in from her calendar's address and waits on the week of `slotId`'s date (in the office's zone),
 * with nothing of that journey in it yet.
 */
async function openDoctorCalendar(page: Page, slotId: string): Promise<void> {
  const start = new Date(slotId.slice(slotId.indexOf('_') + 1));
  const zone = world.specialists.find((s) => s.uid === DOCTOR)?.offices[0]?.office.timeZone;
  if (!zone || Number.isNaN(start.getTime())) throw new Error(`cannot place ${slotId}`);
  await page.goto(`${stack.urls.web}especialista/agenda?fecha=${utcToLocal(start, zone).date}`);
  await page.waitForURL('**/ingresar**');
  await page.getByTestId('email').locator('input').fill(DOCTOR_EMAIL);
  await page.getByTestId('password').locator('input').fill(password(DOCTOR_EMAIL));
  await page.getByTestId('submit').click();
  await page.waitForURL('**/especialista/agenda**');
  await page.getByTestId('specialist-calendar').locator('.fc-timegrid').waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId('calendar-zone').textContent()).toContain(zone);
  expect(await page.locator('[data-test^="calendar-event-"]').filter({ hasText: 'Revisión de un lunar' }).count()).toBe(0);
}

beforeAll(async () => {
  stack = await startE2eStack();
  a = await launchBrowser();
  b = await launchBrowser();
  c = await launchBrowser();
  // Warm-up: the dev server compiles the search and profile pages and pre-bundles Leaflet on first request (and may
  // reload the page once for it), which must not happen in the middle of the journey.
  const warm = await a.newPage();
  await warm.goto(`${stack.urls.web}buscar`);
  await warm.locator('.map-pin, .marker-cluster').first().waitFor({ timeout: 120_000 });
  await warm.goto(`${stack.urls.web}especialistas/${DOCTOR}`);
  await warm.getByTestId('slot-picker').waitFor({ timeout: 60_000 });
  await warm.getByTestId('offices-map').locator('.map-pin').first().waitFor({ timeout: 60_000 });
  await warm.close();
  // On a clean checkout the dev server's first dependency scan ends in a reload that aborts the pages' lazy imports
  // ("Failed to fetch dynamically imported module"): that belongs to the warm-up, not to the journey judged below.
  a.errors.length = 0;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await c?.close();
  await stack?.stop();
});

describe('find a doctor and book', () => {
  it('A books on the map; B loses the slot live; the doctor sees it in her open calendar; the patient home lists it', async () => {
    // B opens the profile first and keeps it open.
    const pageB = await b.newPage();
    await pageB.goto(`${stack.urls.web}especialistas/${DOCTOR}`);
    await expect.poll(() => pageB.getByTestId('profile-name').textContent(), { timeout: 30_000 }).toContain('Valentina Rojas');

    // The doctor opens her calendar on the week of the first free slot, the one A will book. Before A starts rather
    // than beside A's search: on two cores a third browser signing in makes the search's one-second polls miss.
    const pageC = await c.newPage();
    await openDoctorCalendar(pageC, await firstSlot(pageB, 'principal'));
    await screenshot(pageC, 'specialist-calendar-before');

    // A searches from the landing box: "dermatología" becomes the specialty filter (Bogotá and Madrid).
    const pageA = await a.newPage();
    await pageA.goto(stack.urls.web);
    await pageA.getByTestId('landing-search').locator('input').fill('dermatología');
    await pageA.getByTestId('landing-search-go').click();
    await pageA.waitForURL('**/buscar**');
    await expect.poll(() => pageA.locator('[data-test^="result-esp-"]').count()).toBe(2);
    const pin = pageA.locator('.map-pin[title="Dra. Valentina Rojas"]');
    await pin.waitFor();
    await screenshot(pageA, 'search-map-dermatologia');

    // Drag Bogotá to the middle of the map (grabbing the map beside the pin), then zoom in twice around the centre.
    const box = await pin.boundingBox();
    const mapBox = await pageA.getByTestId('search-map').boundingBox();
    if (!box || !mapBox) throw new Error('map not drawn');
    const grab = { x: box.x + box.width / 2 + 20, y: box.y + box.height };
    await pageA.mouse.move(grab.x, grab.y);
    await pageA.mouse.down();
    await pageA.mouse.move(mapBox.x + mapBox.width / 2 + 20, mapBox.y + mapBox.height / 2, { steps: 10 });
    await pageA.mouse.up();
    for (let i = 0; i < 2; i++) {
      await pageA.locator('.leaflet-control-zoom-in').click();
      await pageA.waitForTimeout(400);
    }
    await pageA.getByTestId('search-this-area').click();
    await expect.poll(() => pageA.locator('[data-test^="result-esp-"]').count()).toBe(1);
    await pageA.getByTestId(`result-${DOCTOR}`).hover();
    await expect.poll(() => pageA.locator('.map-pin--active').count()).toBeGreaterThan(0);
    await screenshot(pageA, 'search-this-area');
    // The area searched is in the URL: the link opens the same search (the map on that area, the same result).
    expect(new URL(pageA.url()).searchParams.get('zona')).toMatch(/^-?\d+\.\d{5}(,-?\d+\.\d{5}){3}$/);
    await pageA.reload();
    await expect.poll(() => pageA.locator('[data-test^="result-esp-"]').count()).toBe(1);
    await pageA.getByTestId('clear-area').waitFor();

    // The profile, its slots in both zones; both people see the same first slot.
    await pageA.getByTestId(`result-${DOCTOR}`).click();
    await pageA.waitForURL(`**/especialistas/${DOCTOR}`);
    const slot = await firstSlot(pageA, 'principal');
    expect(await firstSlot(pageB, 'principal')).toBe(slot);
    await screenshot(pageA, 'profile-slots');

    // Not signed in: the slot sends A to sign in and back, where the booking form opens for that slot.
    await pageA.getByTestId(slot).click();
    await pageA.waitForURL('**/ingresar**');
    await pageA.getByTestId('email').locator('input').fill('paciente@demo.telesalud.test');
    await pageA.getByTestId('password').locator('input').fill(password('paciente@demo.telesalud.test'));
    await pageA.getByTestId('submit').click();
    await pageA.waitForURL(`**/especialistas/${DOCTOR}**`);
    await pageA.getByTestId('booking-form').waitFor();
    await expect.poll(() => pageA.getByTestId('booking-policy').textContent()).toContain('Pagas en la consulta');
    // An in-person visit: the specialist's video-consult message is not shown.
    expect(await pageA.getByTestId('booking-video-message').count()).toBe(0);

    // An empty reason is refused on the spot; then the booking goes through.
    await pageA.getByTestId('booking-submit').click();
    await expect.poll(() => pageA.getByTestId('booking-reason').textContent()).toContain('obligatorio');
    await pageA.getByTestId('booking-reason').locator('textarea').first().fill('Revisión de un lunar');
    await pageA.getByTestId('booking-follow-up').locator('input').check();
    // The phone comes from the profile once it has loaded.
    await expect.poll(() => pageA.getByTestId('booking-phone').locator('input').inputValue()).toBe('+57 300 555 0101');
    await screenshot(pageA, 'booking-form');
    await pageA.getByTestId('booking-submit').click();
    // Waits for the outcome, so a refusal shows its message in the failure rather than a bare timeout.
    const outcome = pageA.getByTestId('booking-confirmed').or(pageA.getByTestId('booking-error'));
    await outcome.waitFor({ timeout: 30_000 });
    const bookedAt = performance.now();
    await screenshot(pageA, 'booking-outcome');
    expect(await outcome.textContent()).toContain('confirmada');
    await expect.poll(() => pageA.getByTestId('booking-ics').isVisible()).toBe(true);
    await screenshot(pageA, 'booking-confirmed');

    // The doctor never reloaded either: her calendar's listener brings the new appointment, drawn with its visit type
    // and reason, in the booked status's colour.
    const event = pageC.locator('[data-test^="calendar-event-"]').filter({ hasText: 'Control · Revisión de un lunar' });
    await expect.poll(() => event.count(), { timeout: 10_000, interval: 50 }).toBe(1);
    console.log(`booking → doctor's calendar: ${Math.round(performance.now() - bookedAt)} ms after A saw the confirmation`);
    expect(await pageC.locator('.fc-event.appt--confirmed', { has: event }).count()).toBe(1);
    await screenshot(pageC, 'specialist-calendar-live');

    // B never reloaded: the busy listener removes the slot, A's page too.
    await expect.poll(() => pageB.getByTestId(slot).count(), { timeout: 20_000 }).toBe(0);
    await screenshot(pageB, 'profile-slot-gone-live');

    // The event opens its details; at 375 px the calendar opens as a list of the week, with the booking in it. Then
    // the doctor's browser is done, so it weighs nothing on the rest of the journey.
    await event.click();
    const details = pageC.getByTestId('calendar-details');
    await details.waitFor();
    // The dialog fades in: the screenshot waits for the end of it.
    await expect.poll(() => details.evaluate((el) => getComputedStyle(el.closest('.v-overlay__content') ?? el).opacity)).toBe('1');
    expect(await pageC.getByTestId('calendar-details-status').textContent()).toContain('Confirmada');
    expect(await pageC.getByTestId('calendar-details-reason').textContent()).toContain('Revisión de un lunar');
    await screenshot(pageC, 'specialist-calendar-details');
    await pageC.getByTestId('calendar-details-close').click();
    await pageC.setViewportSize({ width: 375, height: 812 });
    await pageC.reload();
    await pageC.getByTestId('specialist-calendar').locator('.fc-list').waitFor({ timeout: 30_000 });
    await expect.poll(() => pageC.locator('[data-test^="calendar-event-"]').filter({ hasText: 'Revisión de un lunar' }).count()).toBe(1);
    expect(await pageC.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(pageC, 'specialist-calendar-375');
    await pageC.close();
    await pageA.getByTestId('booking-close').click();
    await expect.poll(() => pageA.getByTestId(slot).count()).toBe(0);

    // A video slot's form shows the specialist's message for video visits; closing it books nothing.
    await pageA.getByTestId('slot-office-video').click();
    await pageA.getByTestId(await firstSlot(pageA, 'video')).click();
    await pageA.getByTestId('booking-form').waitFor();
    await expect.poll(() => pageA.getByTestId('booking-video-message').textContent()).toContain('Conéctate 5 minutos antes');
    // A new visit after a confirmed one: its details start empty.
    expect(await pageA.getByTestId('booking-reason').locator('textarea').first().inputValue()).toBe('');
    await screenshot(pageA, 'booking-video-message');
    await pageA.getByTestId('booking-close').click();

    // A's home lists the appointment under "Próximas citas".
    await pageA.goto(`${stack.urls.web}paciente`);
    await expect.poll(() => pageA.getByTestId('upcoming-list').locator('[data-test^="appointment-"]').filter({ hasText: 'Valentina Rojas' }).count(), { timeout: 20_000 }).toBe(1);
    await screenshot(pageA, 'patient-upcoming');
    await pageA.close();

    // The search page at 375 px: no horizontal scroll, map and results both there.
    await pageB.setViewportSize({ width: 375, height: 812 });
    await pageB.goto(`${stack.urls.web}buscar`);
    await expect.poll(() => pageB.locator('[data-test^="result-esp-"]').count()).toBeGreaterThan(5);
    await pageB.locator('.map-pin, .marker-cluster').first().waitFor();
    expect(await pageB.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(pageB, 'search-375');
    await pageB.goto(`${stack.urls.web}especialistas/${DOCTOR}`);
    await pageB.getByTestId('slot-picker').waitFor();
    expect(await pageB.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(pageB, 'profile-375');
    await pageB.close();

    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });
});
