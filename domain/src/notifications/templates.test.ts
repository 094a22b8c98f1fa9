import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../model/notification';
import { LOCALES } from '../model/common';
import { appointmentFacts, renderNotification, videoRoomLink, type RecipientRole, type TemplateInput } from './templates';

const REASON = 'Dolor torácico desde ayer, antecedentes de arritmia';
const DEPENDANT = 'Lucía Pérez Gómez';
const PHONE = '+57 300 555 0101';
const NOTE = 'Sospecha de fibrilación auricular';

/** An appointment as functions hold it: everything a careless template could print. */
function appointment(over: Partial<{ start: Date; end: Date; timeZone: string; modality: 'in_person' | 'video' }> = {}) {
  return {
    id: 'apt123',
    start: new Date('2026-03-30T08:00:00Z'),
    end: new Date('2026-03-30T08:30:00Z'),
    timeZone: 'Europe/Madrid',
    modality: 'in_person' as const,
    reason: REASON,
    dependantName: DEPENDANT,
    contactPhone: PHONE,
    notes: NOTE,
    ...over,
  };
}
const OFFICE = { name: 'Consulta Ferrer', address: 'Calle de Alcalá 100', city: 'Madrid', timeZone: 'Europe/Madrid', prices: [] };

function input(over: Partial<TemplateInput> = {}, apt = appointment()): TemplateInput {
  return {
    kind: 'appointment_confirmed',
    audience: 'specialist',
    locale: 'es',
    link: `/citas/${apt.id}`,
    appUrl: 'https://app.telesalud.test',
    appointment: appointmentFacts(apt, { office: OFFICE, specialistName: 'Dr. Pau Ferrer' }),
    ...over,
  };
}

function all(r: ReturnType<typeof renderNotification>): string {
  return [r.subject, r.text, r.html, r.sms].join('\n');
}

describe('renderNotification', () => {
  const audiences: RecipientRole[] = ['patient', 'specialist'];
  const cases = NOTIFICATION_KINDS.flatMap((kind) =>
    LOCALES.flatMap((locale) => audiences.flatMap((audience) => (['in_person', 'video'] as const).map((modality) => ({ kind, locale, audience, modality })))),
  );
  it.each(cases)('$kind / $locale / $audience / $modality: never the reason, dependant, phone or notes', ({ kind, locale, audience, modality }) => {
    const apt = appointment({ modality });
    const out = all(renderNotification(input({ kind, locale, audience, recipientTimeZone: 'America/Santiago' }, apt)));
    for (const secret of [REASON, DEPENDANT, PHONE, NOTE, 'torácico', 'arritmia', 'fibrilación']) expect(out).not.toContain(secret);
    expect(out).toContain('https://app.telesalud.test/citas/apt123');
  });

  it('writes the doctor’s Spanish e-mail in the office’s zone, with place and link', () => {
    const r = renderNotification(input());
    expect(r.subject).toBe('Nueva cita confirmada');
    expect(r.text).toContain('Tienes una nueva cita confirmada.');
    expect(r.text).toContain('lunes, 30 de marzo de 2026');
    expect(r.text).toContain('10:00');
    expect(r.text).toContain('hora de la consulta (Europe/Madrid)');
    expect(r.text).toContain('Consulta Ferrer, Calle de Alcalá 100, Madrid');
    expect(r.text).toContain('Ver en Telesalud: https://app.telesalud.test/citas/apt123');
    // The doctor is not told the patient's name; the specialist's own name is for the patient's texts.
    expect(r.text).not.toContain('Pau Ferrer');
    expect(r.html).toContain('<a href="https://app.telesalud.test/citas/apt123">Ver en Telesalud</a>');
  });

  it('writes English for an English reader, and names the specialist to the patient', () => {
    const r = renderNotification(input({ locale: 'en', audience: 'patient' }));
    expect(r.subject).toBe('Your appointment is confirmed');
    expect(r.text).toContain('Your appointment is confirmed (with Dr. Pau Ferrer).');
    expect(r.text).toContain('Monday, March 30, 2026');
    expect(r.text).toContain('appointment time (Europe/Madrid)');
    expect(r.text).not.toContain('Cuándo');
  });

  it.each([
    // Madrid moved to summer time on 29 March 2026, Santiago stays on -03 until 5 April: the gap is 5 h, then 4 h.
    ['after Madrid’s change', '2026-03-30T08:00:00Z', '10:00', '05:00'],
    ['before Madrid’s change', '2026-03-27T09:00:00Z', '10:00', '06:00'],
    // Santiago back to -04 on 5 April: 10:00 in Madrid is 04:00 there.
    ['after Santiago’s change', '2026-04-06T08:00:00Z', '10:00', '04:00'],
  ])('across a daylight-saving change (%s) writes both wall times from the instant', (_name, iso, madrid, santiago) => {
    const start = new Date(iso);
    const r = renderNotification(input({ recipientTimeZone: 'America/Santiago' }, appointment({ start, end: new Date(start.getTime() + 1_800_000) })));
    const when = r.text.split('\n').filter((l) => /Europe\/Madrid|America\/Santiago/.test(l));
    expect(when).toHaveLength(2);
    expect(when[0]).toContain(madrid);
    expect(when[0]).toContain('Europe/Madrid');
    expect(when[1]).toContain(santiago);
    expect(when[1]).toContain('en tu zona horaria (America/Santiago)');
  });

  it('writes one time when the recipient’s zone reads the same, or is unknown to Intl', () => {
    for (const zone of ['Europe/Madrid', 'Europe/Paris', 'Mars/Olympus_Mons', undefined]) {
      const r = renderNotification(input(zone ? { recipientTimeZone: zone } : {}));
      expect(r.text).not.toContain('en tu zona horaria');
    }
  });

  it('gives a video appointment its room link and no address', () => {
    const apt = appointment({ modality: 'video' });
    const r = renderNotification(input({ audience: 'patient' }, apt));
    const room = videoRoomLink('https://app.telesalud.test', 'apt123');
    expect(r.text).toContain(`Enlace de la videoconsulta: ${room}`);
    expect(r.sms).toContain(room);
    expect(r.html).toContain(`<a href="${room}">`);
    expect(r.text).not.toContain('Calle de Alcalá');
  });

  it('escapes every value in the HTML', () => {
    const apt = appointment();
    const r = renderNotification({ ...input({}, apt), appointment: appointmentFacts(apt, { office: { ...OFFICE, name: '<script>x</script>' } }) });
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&#60;script&#62;');
  });

  it('keeps every SMS in one or two segments’ worth of text, far under Twilio’s 1600', () => {
    for (const kind of NOTIFICATION_KINDS) for (const locale of LOCALES) expect(renderNotification(input({ kind, locale, recipientTimeZone: 'America/Santiago' })).sms.length).toBeLessThan(320);
  });

  it('without an app URL writes the in-app path', () => {
    expect(renderNotification(input({ appUrl: null })).text).toContain('Ver en Telesalud: /citas/apt123');
  });
});
