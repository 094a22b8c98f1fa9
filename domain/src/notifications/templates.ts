/**
 * What an e-mail, an SMS or a push says for each notification kind, in Spanish and English, chosen by the recipient's
 * locale. Times are written with Intl in the office's zone (where the visit happens, or the specialist's wall clock
 * for video) and, when it reads differently, in the recipient's own zone; no zone is written into this file.
 *
 * Minimum necessary: a message says when, where (the office or the video room's link) and what to do. It never says
 * why: templates only ever see `AppointmentFacts`, which `appointmentFacts()` picks from an appointment without the
 * reason, the dependant's name, the contact phone, notes or diagnoses, so no template can print them by mistake.
 */
import type { Locale, Modality } from '../model/common';
import type { NotificationKind } from '../model/notification';

/** Who reads the message: the texts differ ("you have a new booking" vs "your booking is confirmed"). */
export type RecipientRole = 'patient' | 'specialist';

/** The only facts about an appointment a template receives. */
export interface AppointmentFacts {
  appointmentId: string;
  start: Date;
  end: Date;
  /** The office's IANA zone, copied onto the appointment at booking. */
  officeTimeZone: string;
  modality: Modality;
  /** In-person visits: where. */
  place?: { name: string; address: string; city: string };
  /** Shown to the patient ("with Dr. …"); the specialist is never shown the patient's name. */
  specialistName?: string;
}

export interface TemplateInput {
  kind: NotificationKind;
  audience: RecipientRole;
  locale: Locale;
  /** The recipient's IANA zone, when their profile has one. */
  recipientTimeZone?: string;
  /** The in-app path the notification opens ("/citas/abc"). */
  link: string;
  /** The app's origin ("https://app.example"), for absolute links; null writes the path alone. */
  appUrl: string | null;
  appointment?: AppointmentFacts;
}

export interface RenderedNotification {
  /** E-mail subject, push and in-app title. */
  subject: string;
  /** Plain-text e-mail body and in-app body. */
  text: string;
  /** A simple HTML e-mail body; every value in it is escaped. */
  html: string;
  /** One SMS, well under Twilio's 1600-character limit. */
  sms: string;
}

/**
 * Picks what a message may say about an appointment. Takes the wider appointment shape on purpose: whatever else the
 * caller holds (reason, notes, phone) stays behind.
 * @param a - the appointment's id, times as Dates, zone, modality and, for video, whether a room exists
 * @param extra - the office (in person) and the specialist's display name, when known
 */
export function appointmentFacts(
  a: { id: string; start: Date; end: Date; timeZone: string; modality: Modality },
  extra: { office?: { name: string; address: string; city: string }; specialistName?: string } = {},
): AppointmentFacts {
  return {
    appointmentId: a.id,
    start: a.start,
    end: a.end,
    officeTimeZone: a.timeZone,
    modality: a.modality,
    ...(a.modality === 'in_person' && extra.office
      ? { place: { name: extra.office.name, address: extra.office.address, city: extra.office.city } }
      : {}),
    ...(extra.specialistName ? { specialistName: extra.specialistName } : {}),
  };
}

/**
 * The link that opens an appointment's video room: one per appointment, checked by the app against the signed-in
 * participant (the link alone opens nothing).
 * @param appUrl - the app's origin, or null for the in-app path
 * @param appointmentId - the appointment
 */
export function videoRoomLink(appUrl: string | null, appointmentId: string): string {
  return `${appUrl ?? ''}/videoconsulta/${encodeURIComponent(appointmentId)}`;
}

const LOCALE_TAG: Record<Locale, string> = { es: 'es', en: 'en' };

interface Words {
  when: string;
  yourZone: (zone: string) => string;
  officeZone: (zone: string) => string;
  where: string;
  video: string;
  open: string;
  privacy: string;
  with: (name: string) => string;
}

const WORDS: Record<Locale, Words> = {
  es: {
    when: 'Cuándo',
    yourZone: (z) => `en tu zona horaria (${z})`,
    officeZone: (z) => `hora de la consulta (${z})`,
    where: 'Dónde',
    video: 'Enlace de la videoconsulta',
    open: 'Ver en Telesalud',
    privacy: 'Por tu privacidad, este mensaje no incluye el motivo de la consulta ni datos clínicos.',
    with: (n) => `con ${n}`,
  },
  en: {
    when: 'When',
    yourZone: (z) => `in your time zone (${z})`,
    officeZone: (z) => `appointment time (${z})`,
    where: 'Where',
    video: 'Video consultation link',
    open: 'Open in Telesalud',
    privacy: 'For your privacy, this message does not include the reason for the visit or any clinical details.',
    with: (n) => `with ${n}`,
  },
};

interface KindText {
  subject: string;
  intro: string;
}

/** Subject and first line per kind, audience and locale. An exhaustive switch: a new kind must get its texts. */
function kindText(kind: NotificationKind, audience: RecipientRole, locale: Locale): KindText {
  const es = locale === 'es';
  const forPatient = audience === 'patient';
  switch (kind) {
    case 'appointment_confirmed':
      return forPatient
        ? es
          ? { subject: 'Tu cita está confirmada', intro: 'Tu cita está confirmada.' }
          : { subject: 'Your appointment is confirmed', intro: 'Your appointment is confirmed.' }
        : es
          ? { subject: 'Nueva cita confirmada', intro: 'Tienes una nueva cita confirmada.' }
          : { subject: 'New confirmed appointment', intro: 'You have a new confirmed appointment.' };
    case 'payment_due':
      return forPatient
        ? es
          ? { subject: 'Completa el pago de tu cita', intro: 'Tu cita está reservada y pendiente de pago.' }
          : { subject: 'Complete the payment for your appointment', intro: 'Your appointment is held and awaiting payment.' }
        : es
          ? { subject: 'Nueva cita pendiente de pago', intro: 'Tienes una nueva cita, pendiente de pago.' }
          : { subject: 'New appointment awaiting payment', intro: 'You have a new appointment, awaiting payment.' };
    case 'appointment_cancelled':
      return es
        ? { subject: 'Cita cancelada', intro: 'Esta cita ha sido cancelada.' }
        : { subject: 'Appointment cancelled', intro: 'This appointment has been cancelled.' };
    case 'appointment_rescheduled':
      return es
        ? { subject: 'Cita reprogramada', intro: 'La cita tiene una nueva hora.' }
        : { subject: 'Appointment rescheduled', intro: 'The appointment has a new time.' };
    case 'appointment_reminder':
      return es
        ? { subject: 'Recordatorio de cita', intro: 'Te recordamos tu próxima cita.' }
        : { subject: 'Appointment reminder', intro: 'A reminder of your upcoming appointment.' };
    case 'payment_failed':
      return es
        ? { subject: 'No se pudo cobrar el pago', intro: 'El pago de la cita no se completó.' }
        : { subject: 'Payment failed', intro: 'The payment for the appointment did not go through.' };
    case 'proposal_received':
      return es
        ? { subject: 'Nueva propuesta de horario', intro: 'Has recibido una propuesta de horario.' }
        : { subject: 'New time proposal', intro: 'You have received a time proposal.' };
    case 'proposal_answered':
      return es
        ? { subject: 'Respuesta a tu propuesta', intro: 'Han respondido a tu propuesta de horario.' }
        : { subject: 'Your proposal was answered', intro: 'Your time proposal has been answered.' };
    case 'message_received':
      return es
        ? { subject: 'Nuevo mensaje', intro: 'Tienes un nuevo mensaje.' }
        : { subject: 'New message', intro: 'You have a new message.' };
    case 'document_shared':
      return es
        ? { subject: 'Nuevo documento', intro: 'Se ha compartido un documento contigo.' }
        : { subject: 'New document', intro: 'A document has been shared with you.' };
    case 'consent_requested':
      return es
        ? { subject: 'Consentimiento pendiente', intro: 'Tienes un consentimiento por revisar.' }
        : { subject: 'Consent requested', intro: 'You have a consent form to review.' };
    case 'questionnaire_requested':
      return es
        ? { subject: 'Cuestionario pendiente', intro: 'Tienes un cuestionario por completar.' }
        : { subject: 'Questionnaire requested', intro: 'You have a questionnaire to complete.' };
    case 'review_requested':
      return es
        ? { subject: '¿Qué tal fue tu cita?', intro: 'Cuéntanos cómo fue tu cita.' }
        : { subject: 'How was your appointment?', intro: 'Tell us how your appointment went.' };
    case 'portal_access_granted':
      return es
        ? { subject: 'Acceso al portal de la clínica', intro: 'Ya puedes entrar al portal de tu clínica.' }
        : { subject: 'Clinic portal access', intro: 'You can now open your clinic portal.' };
    case 'specialist_status_changed':
      return es
        ? { subject: 'Tu perfil de especialista cambió', intro: 'El estado de tu perfil de especialista ha cambiado.' }
        : { subject: 'Your specialist profile changed', intro: 'The status of your specialist profile has changed.' };
  }
}

/** Whether Intl knows the zone (a profile's zone is only shape-checked). */
function knownZone(zone: string | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Two-digit hours ("06:00", "06:00 AM"): a bare "6:00" is easy to misread next to another time. */
const FULL: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
const SHORT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };

function formatInstant(d: Date, locale: Locale, zone: string, style: 'full' | 'medium'): string {
  return new Intl.DateTimeFormat(LOCALE_TAG[locale], { ...(style === 'full' ? FULL : SHORT), timeZone: zone }).format(d);
}

/** The start written in the office's zone and, when it reads differently there, in the recipient's. */
function whenLines(a: AppointmentFacts, locale: Locale, recipientZone: string | undefined, style: 'full' | 'medium'): string[] {
  const w = WORDS[locale];
  const office = formatInstant(a.start, locale, a.officeTimeZone, style);
  const lines = [`${office}, ${w.officeZone(a.officeTimeZone)}`];
  if (knownZone(recipientZone) && recipientZone !== a.officeTimeZone) {
    const mine = formatInstant(a.start, locale, recipientZone, style);
    if (mine !== office) lines.push(`${mine}, ${w.yourZone(recipientZone)}`);
  }
  return lines;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders one notification for one recipient.
 * @param input - kind, audience, locale and zone of the recipient, the link and the appointment's facts
 */
export function renderNotification(input: TemplateInput): RenderedNotification {
  const w = WORDS[input.locale];
  const k = kindText(input.kind, input.audience, input.locale);
  const a = input.appointment;
  const openUrl = `${input.appUrl ?? ''}${input.link}`;
  // The patient is told with whom; the specialist's texts never name the patient.
  const intro = a?.specialistName && input.audience === 'patient' ? `${k.intro.replace(/\.$/, '')} (${w.with(a.specialistName)}).` : k.intro;

  const rows: { label: string; value: string; href?: string }[] = [];
  let smsWhere = '';
  if (a) {
    rows.push({ label: w.when, value: whenLines(a, input.locale, input.recipientTimeZone, 'full').join('\n') });
    if (a.modality === 'video') {
      const room = videoRoomLink(input.appUrl, a.appointmentId);
      rows.push({ label: w.video, value: room, href: room });
      smsWhere = room;
    } else if (a.place) {
      const place = `${a.place.name}, ${a.place.address}, ${a.place.city}`;
      rows.push({ label: w.where, value: place });
      smsWhere = place;
    }
  }

  const text = [
    intro,
    '',
    ...rows.map((r) => `${r.label}: ${r.value.split('\n').join('\n  ')}`),
    '',
    `${w.open}: ${openUrl}`,
    '',
    w.privacy,
    '',
  ].join('\n');

  const html = [
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(k.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2933">',
    `<h1 style="font-size:20px">${escapeHtml(k.subject)}</h1>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...rows.map(
      (r) =>
        `<p><strong>${escapeHtml(r.label)}:</strong><br>${
          r.href ? `<a href="${escapeHtml(r.href)}">${escapeHtml(r.value)}</a>` : r.value.split('\n').map(escapeHtml).join('<br>')
        }</p>`,
    ),
    `<p><a href="${escapeHtml(openUrl)}">${escapeHtml(w.open)}</a></p>`,
    `<p style="font-size:12px;color:#616e7c">${escapeHtml(w.privacy)}</p>`,
    '</body></html>',
  ].join('\n');

  const smsParts = [`Telesalud: ${k.subject}.`];
  if (a) smsParts.push(`${whenLines(a, input.locale, input.recipientTimeZone, 'medium').join(' / ')}.`);
  if (smsWhere) smsParts.push(smsWhere);
  smsParts.push(openUrl);
  return { subject: k.subject, text, html, sms: smsParts.join(' ') };
}
