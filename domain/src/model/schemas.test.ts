import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  HOSTILE_CHARACTERS,
  setAt,
  slipIn,
  stringLeaves,
  ts,
  withProtoKey,
  type FieldPath,
  SAMPLE_OFFICE as office,
  SAMPLE_SPECIALIST as specialist,
} from './testing';
import { customClaimsSchema } from './claims';
import { clinicMemberSchema, clinicSchema } from './clinic';
import { isActiveGrant, portalGrantSchema } from './grants';
import { clinicPatientSchema } from './clinic-patient';
import { availabilityExceptionId, availabilityExceptionSchema, slotLockSchema } from './availability';
import { appointmentHistoryEntrySchema, appointmentSchema } from './appointment';
import { availabilityRequestSchema, proposalSchema } from './availability-request';
import { conversationSchema, messagePreview, messageSchema, PREVIEW_MAX_CHARS } from './conversation';
import { notificationSchema } from './notification';
import { patientDocumentSchema } from './patient-document';
import { consentSchema, consentTemplateSchema } from './consent';
import { answerIssues, questionnaireAnswersSchema, questionnaireSchema, type Questionnaire } from './questionnaire';
import { officeSchema, reviewSchema, specialistSchema } from './specialist';
import { reviewInitials, reviewReceiptSchema } from './review';
import { clinicalNoteSchema } from './clinical-note';
import { payoutId, payoutSchema, stripeEventSchema, transactionSchema } from './payment';
import { auditEntrySchema } from './audit';
import { idempotencyRecordSchema } from './idempotency';
import { id, timeZone } from './common';

const HASH = 'a'.repeat(64);
const UUID = '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f';
const COP = (amount: number) => ({ amount, currency: 'COP' });

/**
 * One row per schema: a valid document, more valid variants, and where to break it. `long` names a bounded string and
 * its bound; `enumAt` a field with a closed set; `moneyAt` a Money field; `wrongType` a field and a value of the wrong
 * type; `invalid` the rules particular to the schema.
 */
interface SchemaCase {
  name: string;
  schema: z.ZodType;
  valid: object;
  alsoValid?: [string, object][];
  long?: [FieldPath, number];
  enumAt?: FieldPath;
  moneyAt?: FieldPath;
  wrongType: [FieldPath, unknown];
  invalid?: [string, object][];
}

const appointment = {
  patientUid: 'pac-ana-torres',
  specialistUid: 'esp-valentina-rojas',
  clinicId: 'clinica-andina',
  officeId: 'video',
  siteId: 'telesalud',
  modality: 'video',
  start: ts(1_800_000_000),
  end: ts(1_800_001_800),
  timeZone: 'America/Bogota',
  reason: 'Control de acné',
  visitType: 'first',
  forWhom: 'self',
  contactPhone: '+57 300 555 0101',
  price: COP(18_000_000),
  paymentPolicy: 'prepay',
  status: 'pending_payment',
  paymentDueAt: ts(1_799_990_000),
  videoRoom: { channel: 'room-8f3k2', createdAt: ts(1_799_000_000) },
  idempotencyKey: UUID,
  createdAt: ts(1_799_000_000),
  updatedAt: ts(1_799_000_000),
};
const cancellation = {
  by: 'pac-ana-torres',
  role: 'patient',
  at: ts(1_799_500_000),
  fee: COP(5_000_000),
  refund: COP(13_000_000),
  reason: 'Viaje',
};
const cancelled = { ...appointment, status: 'cancelled', cancellation };

const proposal = {
  appointmentId: 'apt-1',
  officeId: 'principal',
  siteId: 'telesalud',
  start: ts(1_800_000_000),
  end: ts(1_800_001_800),
  price: COP(18_000_000),
  proposedBy: 'esp-valentina-rojas',
  proposedByRole: 'specialist',
  proposedAt: ts(1_799_000_000),
};
const availabilityRequest = {
  patientUid: 'pac-ana-torres',
  specialistUid: 'esp-valentina-rojas',
  modality: 'in_person',
  preferredWindows: [{ start: ts(1_800_000_000), end: ts(1_800_010_000) }],
  timeZone: 'America/Bogota',
  reason: 'Revisión de lunar',
  visitType: 'first',
  forWhom: 'dependant',
  dependantName: 'Tomás Torres',
  contactPhone: '+57 300 555 0101',
  status: 'open',
  createdAt: ts(1_799_000_000),
  updatedAt: ts(1_799_000_000),
  expiresAt: ts(1_799_600_000),
};

const questionnaire: Questionnaire = {
  title: 'Antes de tu primera consulta',
  version: 2,
  active: true,
  questions: [
    { id: 'allergies', kind: 'text', label: '¿Alergias?', required: false, maxLength: 500 },
    { id: 'smoker', kind: 'yes_no', label: '¿Fumas?', required: true },
    {
      id: 'skin',
      kind: 'single_choice',
      label: 'Tipo de piel',
      required: false,
      options: [
        { value: 'dry', label: 'Seca' },
        { value: 'oily', label: 'Grasa' },
      ],
    },
    {
      id: 'areas',
      kind: 'multiple_choice',
      label: 'Zonas',
      required: false,
      options: [
        { value: 'face', label: 'Cara' },
        { value: 'back', label: 'Espalda' },
      ],
    },
    { id: 'weight', kind: 'number', label: 'Peso (kg)', required: false, min: 1, max: 400, integer: false },
    { id: 'since', kind: 'date', label: '¿Desde cuándo?', required: false },
    { id: 'itch', kind: 'scale', label: 'Picor', required: false, min: 0, max: 10 },
  ],
  createdAt: ts(1),
  updatedAt: ts(2),
  updatedBy: 'staff-andina',
};

const CASES: SchemaCase[] = [
  {
    name: 'customClaims',
    schema: customClaimsSchema,
    valid: { roles: ['staff'], clinicIds: ['clinica-andina'] },
    alsoValid: [
      ['a patient without clinics', { roles: ['patient'] }],
      ['two roles', { roles: ['specialist', 'patient'] }],
    ],
    long: [['clinicIds', 0], 128],
    enumAt: ['roles', 0],
    wrongType: [['roles'], 'admin'],
    invalid: [
      ['a duplicate role', { roles: ['staff', 'staff'] }],
      ['no role', { roles: [] }],
      [
        'claims over 1000 bytes',
        { roles: ['staff'], clinicIds: Array.from({ length: 10 }, (_, i) => `${i}${'c'.repeat(120)}`) },
      ],
      ['a reserved clinic id', { roles: ['staff'], clinicIds: ['__proto__'] }],
    ],
  },
  {
    name: 'clinic',
    schema: clinicSchema,
    valid: {
      name: 'Clínica Andina',
      city: 'Bogotá',
      country: 'CO',
      timeZone: 'America/Bogota',
      policies: { cancellationWindowHours: 24, lateCancellationFee: COP(5_000_000), portalAccess: 'email_phone' },
    },
    long: [['name'], 120],
    enumAt: ['policies', 'portalAccess'],
    moneyAt: ['policies', 'lateCancellationFee'],
    wrongType: [['policies', 'cancellationWindowHours'], '24'],
  },
  {
    name: 'clinicMember',
    schema: clinicMemberSchema,
    valid: {
      role: 'staff',
      displayName: 'Paula Castro',
      active: true,
      grantedAt: ts(1),
      grantedBy: 'admin-plataforma',
    },
    alsoValid: [
      ['a document written before grants (the seed)', { role: 'specialist', displayName: 'Dra. Valentina Rojas' }],
      [
        'a revoked grant',
        {
          role: 'staff',
          displayName: 'Paula Castro',
          active: false,
          grantedAt: ts(1),
          grantedBy: 'system',
          revokedAt: ts(2),
        },
      ],
    ],
    long: [['displayName'], 120],
    enumAt: ['role'],
    wrongType: [['active'], 'yes'],
    invalid: [
      [
        'a revoked grant still active',
        { role: 'staff', displayName: 'P', active: true, grantedAt: ts(1), grantedBy: 'x', revokedAt: ts(2) },
      ],
    ],
  },
  {
    name: 'portalGrant',
    schema: portalGrantSchema,
    valid: { active: true, grantedAt: ts(1), grantedBy: 'staff-andina' },
    alsoValid: [['a revoked grant', { active: false, grantedAt: ts(1), grantedBy: 'staff-andina', revokedAt: ts(2) }]],
    long: [['grantedBy'], 128],
    wrongType: [['grantedAt'], '2026-01-01'],
    invalid: [
      ['a revoked grant still active', { active: true, grantedAt: ts(1), grantedBy: 'staff-andina', revokedAt: ts(2) }],
      ['a missing grantedBy', { active: true, grantedAt: ts(1) }],
    ],
  },
  {
    name: 'clinicPatient',
    schema: clinicPatientSchema,
    valid: {
      displayName: 'Ana Torres',
      contact: { email: 'paciente@demo.telesalud.test', phone: '+57 300 555 0101' },
      dateOfBirth: '1990-04-12',
      documentId: '1.020.304.050',
      createdAt: ts(1),
      createdBy: 'staff-andina',
      updatedAt: ts(1),
    },
    long: [['displayName'], 120],
    wrongType: [['contact'], 'ana@example.com'],
    invalid: [
      [
        'no way to reach the patient',
        { displayName: 'Ana', contact: {}, createdAt: ts(1), createdBy: 's', updatedAt: ts(1) },
      ],
      [
        'a February 30 birthday',
        {
          displayName: 'Ana',
          contact: { phone: '+57 300' },
          dateOfBirth: '1990-02-30',
          createdAt: ts(1),
          createdBy: 's',
          updatedAt: ts(1),
        },
      ],
      [
        'clinical notes in the record',
        {
          displayName: 'Ana',
          contact: { phone: '+57 300 555' },
          notes: 'x',
          createdAt: ts(1),
          createdBy: 's',
          updatedAt: ts(1),
        },
      ],
    ],
  },
  {
    name: 'availabilityException',
    schema: availabilityExceptionSchema,
    valid: { date: '2026-12-24', kind: 'hours', intervals: [{ start: '08:00', end: '12:00' }], officeId: 'principal' },
    alsoValid: [['a closed day for every office', { date: '2026-12-25', kind: 'closed' }]],
    long: [['officeId'], 128],
    enumAt: ['kind'],
    wrongType: [['intervals'], '08:00-12:00'],
    invalid: [
      ['closed with hours', { date: '2026-12-25', kind: 'closed', intervals: [{ start: '08:00', end: '12:00' }] }],
      ['hours without intervals', { date: '2026-12-25', kind: 'hours' }],
      ['a date that does not exist', { date: '2026-02-29', kind: 'closed' }],
    ],
  },
  {
    name: 'slotLock',
    schema: slotLockSchema,
    valid: { appointmentId: 'apt-1', start: ts(100), end: ts(200) },
    alsoValid: [["an unpaid holder's deadline", { appointmentId: 'apt-1', start: ts(100), end: ts(200), unpaidUntil: ts(50) }]],
    long: [['appointmentId'], 128],
    wrongType: [['start'], 100],
    invalid: [['an empty interval', { appointmentId: 'apt-1', start: ts(100), end: ts(100) }]],
  },
  {
    name: 'appointment',
    schema: appointmentSchema,
    valid: appointment,
    alsoValid: [
      ['a cancelled appointment', cancelled],
      [
        'a confirmed in-person visit for a dependant',
        {
          ...appointment,
          modality: 'in_person',
          videoRoom: undefined,
          paymentPolicy: 'pay_at_visit',
          paymentDueAt: undefined,
          status: 'confirmed',
          forWhom: 'dependant',
          dependantName: 'Tomás',
        },
      ],
      ['a system cancellation', { ...cancelled, cancellation: { ...cancellation, by: null, role: 'system' } }],
      [
        'reminders sent',
        { ...appointment, remindersSent: { '1440m:email': ts(1_799_900_000), '60m:sms': ts(1_799_996_400) } },
      ],
    ],
    long: [['reason'], 500],
    enumAt: ['status'],
    moneyAt: ['price'],
    wrongType: [['start'], '2027-01-15T09:00:00-05:00'],
    invalid: [
      ['an end before the start', { ...appointment, end: ts(1_799_999_000) }],
      ['a dependant without a name', { ...appointment, forWhom: 'dependant' }],
      ['a name without a dependant', { ...appointment, dependantName: 'Tomás' }],
      ['a video room for an in-person visit', { ...appointment, modality: 'in_person' }],
      [
        'a payment deadline when paying at the visit',
        { ...appointment, paymentPolicy: 'pay_at_visit', status: 'confirmed' },
      ],
      ['a cancellation on a live appointment', { ...appointment, cancellation }],
      ['cancelled without a cancellation', { ...appointment, status: 'cancelled' }],
      ['fee and refund over the price', { ...cancelled, cancellation: { ...cancellation, refund: COP(18_000_000) } }],
      [
        'a refund in another currency',
        { ...cancelled, cancellation: { ...cancellation, refund: { amount: 1, currency: 'USD' } } },
      ],
      ['a person cancelling as the system', { ...cancelled, cancellation: { ...cancellation, role: 'system' } }],
      ['a booking of oneself', { ...appointment, patientUid: 'esp-valentina-rojas' }],
      ['an idempotency key that is not a UUID', { ...appointment, idempotencyKey: 'retry-1' }],
      ['an unknown time zone', { ...appointment, timeZone: 'America/Atlantis' }],
      ['a negative cancellation fee', { ...cancelled, cancellation: { ...cancellation, fee: COP(-1) } }],
      ['an unknown reminder channel', { ...appointment, remindersSent: { '60m:fax': ts(1) } }],
      ['a reminder marker that is not a timestamp', { ...appointment, remindersSent: { '60m:sms': true } }],
    ],
  },
  {
    name: 'appointmentHistoryEntry',
    schema: appointmentHistoryEntrySchema,
    valid: { at: ts(1), by: 'pac-ana-torres', role: 'patient', from: 'proposed', to: 'pending_payment' },
    alsoValid: [
      ['the creation', { at: ts(1), by: null, role: 'system', from: null, to: 'confirmed' }],
      ['a payment', { at: ts(1), by: null, role: 'system', from: 'pending_payment', to: 'confirmed', note: 'Stripe' }],
      [
        'a reschedule',
        {
          at: ts(1),
          by: 'staff-andina',
          role: 'staff',
          from: 'confirmed',
          to: 'confirmed',
          rescheduledFrom: { start: ts(10), end: ts(20) },
        },
      ],
    ],
    long: [['note'], 500],
    enumAt: ['role'],
    wrongType: [['by'], 42],
    invalid: [
      ['a system entry with a uid', { at: ts(1), by: 'x', role: 'system', from: 'pending_payment', to: 'confirmed' }],
      ['a person without a uid', { at: ts(1), by: null, role: 'patient', from: 'confirmed', to: 'cancelled' }],
      ['leaving a terminal status', { at: ts(1), by: 'esp-x', role: 'specialist', from: 'completed', to: 'confirmed' }],
      [
        'a patient confirming a payment',
        { at: ts(1), by: 'pac-x', role: 'patient', from: 'pending_payment', to: 'confirmed' },
      ],
      ['creating a completed appointment', { at: ts(1), by: null, role: 'system', from: null, to: 'completed' }],
      ['a non-change', { at: ts(1), by: 'pac-x', role: 'patient', from: 'confirmed', to: 'confirmed' }],
      [
        'a reschedule that changes the status',
        {
          at: ts(1),
          by: 'pac-x',
          role: 'patient',
          from: 'confirmed',
          to: 'cancelled',
          rescheduledFrom: { start: ts(10), end: ts(20) },
        },
      ],
      [
        'a reschedule of a cancelled appointment',
        {
          at: ts(1),
          by: 'pac-x',
          role: 'patient',
          from: 'cancelled',
          to: 'cancelled',
          rescheduledFrom: { start: ts(10), end: ts(20) },
        },
      ],
    ],
  },
  {
    name: 'availabilityRequest',
    schema: availabilityRequestSchema,
    valid: availabilityRequest,
    alsoValid: [
      ['a proposed request', { ...availabilityRequest, status: 'proposed', proposal }],
      [
        'a request declined while open',
        { ...availabilityRequest, status: 'declined', declineReason: 'Agenda completa' },
      ],
    ],
    long: [['reason'], 500],
    enumAt: ['status'],
    wrongType: [['preferredWindows'], { start: ts(1), end: ts(2) }],
    invalid: [
      ['an open request with a proposal', { ...availabilityRequest, proposal }],
      ['an accepted request without a proposal', { ...availabilityRequest, status: 'accepted' }],
      ['no preferred window', { ...availabilityRequest, preferredWindows: [] }],
      [
        'six preferred windows',
        { ...availabilityRequest, preferredWindows: Array.from({ length: 6 }, () => ({ start: ts(1), end: ts(2) })) },
      ],
      ['an empty window', { ...availabilityRequest, preferredWindows: [{ start: ts(2), end: ts(2) }] }],
      ['a dependant without a name', { ...availabilityRequest, dependantName: undefined }],
      ['an unknown time zone', { ...availabilityRequest, timeZone: 'Mars/Olympus' }],
    ],
  },
  {
    name: 'proposal',
    schema: proposalSchema,
    valid: proposal,
    long: [['message'], 1000],
    enumAt: ['proposedByRole'],
    moneyAt: ['price'],
    wrongType: [['start'], 1_800_000_000],
    invalid: [['a patient proposing', { ...proposal, proposedByRole: 'patient' }]],
  },
  {
    name: 'conversation',
    schema: conversationSchema,
    valid: {
      participants: ['pac-ana-torres', 'esp-valentina-rojas'],
      appointmentId: 'apt-1',
      lastMessage: { senderUid: 'pac-ana-torres', text: 'Hola, doctora', hasAttachments: false },
      lastMessageAt: ts(2),
      unread: { 'esp-valentina-rojas': 1, 'pac-ana-torres': 0 },
      createdAt: ts(1),
    },
    alsoValid: [['a new conversation', { participants: ['p', 's'], unread: {}, createdAt: ts(1) }]],
    long: [['lastMessage', 'text'], PREVIEW_MAX_CHARS],
    wrongType: [['unread'], 0],
    invalid: [
      ['three participants', { participants: ['a', 'b', 'c'], unread: {}, createdAt: ts(1) }],
      ['one person twice', { participants: ['a', 'a'], unread: {}, createdAt: ts(1) }],
      ['a counter for an outsider', { participants: ['a', 'b'], unread: { c: 1 }, createdAt: ts(1) }],
      ['a negative counter', { participants: ['a', 'b'], unread: { a: -1 }, createdAt: ts(1) }],
      ['a fractional counter', { participants: ['a', 'b'], unread: { a: 0.5 }, createdAt: ts(1) }],
      [
        'a __proto__ key in the counters',
        { participants: ['a', 'b'], unread: JSON.parse('{"__proto__":1}') as object, createdAt: ts(1) },
      ],
      [
        'a preview without its time',
        {
          participants: ['a', 'b'],
          unread: {},
          lastMessage: { senderUid: 'a', text: 'x', hasAttachments: false },
          createdAt: ts(1),
        },
      ],
    ],
  },
  {
    name: 'message',
    schema: messageSchema,
    valid: {
      senderUid: 'pac-ana-torres',
      text: 'Adjunto la foto',
      createdAt: ts(1),
      attachments: ['conversations/c1/attachments/pac-ana-torres/foto.jpg'],
    },
    long: [['text'], 4000],
    wrongType: [['attachments'], 'foto.jpg'],
    invalid: [
      ['an empty text', { senderUid: 'a', text: '   ', createdAt: ts(1) }],
      ['six attachments', { senderUid: 'a', text: 'x', createdAt: ts(1), attachments: ['a', 'b', 'c', 'd', 'e', 'f'] }],
      [
        'a path that climbs',
        { senderUid: 'a', text: 'x', createdAt: ts(1), attachments: ['conversations/../clinics/x'] },
      ],
      ['an absolute path', { senderUid: 'a', text: 'x', createdAt: ts(1), attachments: ['/etc/passwd'] }],
      ['the same attachment twice', { senderUid: 'a', text: 'x', createdAt: ts(1), attachments: ['a/b', 'a/b'] }],
    ],
  },
  {
    name: 'notification',
    schema: notificationSchema,
    valid: {
      kind: 'appointment_confirmed',
      title: 'Cita confirmada',
      body: 'Tu cita del martes está confirmada.',
      link: '/citas/apt-1',
      createdAt: ts(1),
      channels: ['in_app', 'email'],
    },
    alsoValid: [
      [
        'a read notification',
        {
          kind: 'message_received',
          title: 'Nuevo mensaje',
          body: 'Tienes un mensaje.',
          link: '/mensajes/c1?m=2',
          createdAt: ts(1),
          readAt: ts(2),
          channels: ['in_app'],
        },
      ],
    ],
    long: [['title'], 120],
    enumAt: ['kind'],
    wrongType: [['readAt'], true],
    invalid: [
      [
        'an absolute link',
        {
          kind: 'appointment_confirmed',
          title: 't',
          body: 'b',
          link: 'https://evil.example/login',
          createdAt: ts(1),
          channels: ['in_app'],
        },
      ],
      [
        'a protocol-relative link',
        {
          kind: 'appointment_confirmed',
          title: 't',
          body: 'b',
          link: '//evil.example',
          createdAt: ts(1),
          channels: ['in_app'],
        },
      ],
      [
        'a channel twice',
        { kind: 'appointment_confirmed', title: 't', body: 'b', link: '/', createdAt: ts(1), channels: ['sms', 'sms'] },
      ],
    ],
  },
  {
    name: 'patientDocument',
    schema: patientDocumentSchema,
    valid: {
      type: 'lab_result',
      title: 'Hemograma completo',
      storagePath: 'clinics/clinica-andina/patients/pac-ana-torres/documents/doc-1/hemograma.pdf',
      contentType: 'application/pdf',
      size: 182_000,
      uploadedBy: 'staff-andina',
      uploadedAt: ts(1),
      visibleToPatient: true,
      notifyPatient: true,
    },
    alsoValid: [
      [
        'instructions for a visit, hidden for now',
        {
          type: 'instructions',
          title: 'Antes de la consulta',
          storagePath: 'a/b.pdf',
          contentType: 'application/pdf',
          size: 1,
          appointmentId: 'apt-1',
          uploadedBy: 's',
          uploadedAt: ts(1),
          visibleToPatient: false,
          notifyPatient: false,
        },
      ],
    ],
    long: [['title'], 200],
    enumAt: ['type'],
    wrongType: [['size'], '182 KB'],
    invalid: [
      [
        'a notification about a hidden document',
        {
          type: 'report',
          title: 't',
          storagePath: 'a/b.pdf',
          contentType: 'application/pdf',
          size: 1,
          uploadedBy: 's',
          uploadedAt: ts(1),
          visibleToPatient: false,
          notifyPatient: true,
        },
      ],
      [
        'an executable',
        {
          type: 'report',
          title: 't',
          storagePath: 'a/b.exe',
          contentType: 'application/x-msdownload',
          size: 1,
          uploadedBy: 's',
          uploadedAt: ts(1),
          visibleToPatient: true,
          notifyPatient: false,
        },
      ],
      [
        'an empty file',
        {
          type: 'report',
          title: 't',
          storagePath: 'a/b.pdf',
          contentType: 'application/pdf',
          size: 0,
          uploadedBy: 's',
          uploadedAt: ts(1),
          visibleToPatient: true,
          notifyPatient: false,
        },
      ],
      [
        'a fractional size',
        {
          type: 'report',
          title: 't',
          storagePath: 'a/b.pdf',
          contentType: 'application/pdf',
          size: 1.5,
          uploadedBy: 's',
          uploadedAt: ts(1),
          visibleToPatient: true,
          notifyPatient: false,
        },
      ],
    ],
  },
  {
    name: 'consentTemplate',
    schema: consentTemplateSchema,
    valid: {
      title: 'Consentimiento de teleconsulta',
      version: 3,
      text: 'Acepto...',
      active: true,
      updatedAt: ts(1),
      updatedBy: 'staff-andina',
    },
    long: [['text'], 20_000],
    wrongType: [['version'], '3'],
    invalid: [['version zero', { title: 't', version: 0, text: 'x', active: true, updatedAt: ts(1), updatedBy: 's' }]],
  },
  {
    name: 'consent',
    schema: consentSchema,
    valid: {
      templateId: 'teleconsulta',
      templateVersion: 3,
      title: 'Consentimiento de teleconsulta',
      text: 'Acepto...',
      textHash: HASH,
      status: 'signed',
      requestedAt: ts(1),
      requestedBy: 'staff-andina',
      signedAt: ts(2),
      signatureStoragePath: 'clinics/clinica-andina/patients/pac-ana-torres/consents/c1/signature.png',
      signedByName: 'Ana Torres',
    },
    alsoValid: [
      [
        'a pending consent',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: HASH,
          status: 'pending',
          requestedAt: ts(1),
          requestedBy: 's',
        },
      ],
      [
        'a withdrawn request',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: HASH,
          status: 'revoked',
          requestedAt: ts(1),
          requestedBy: 's',
          revokedAt: ts(3),
        },
      ],
    ],
    long: [['signedByName'], 120],
    enumAt: ['status'],
    wrongType: [['templateVersion'], 'v3'],
    invalid: [
      [
        'signed without a signature',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: HASH,
          status: 'signed',
          requestedAt: ts(1),
          requestedBy: 's',
          signedAt: ts(2),
        },
      ],
      [
        'pending with a signature date',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: HASH,
          status: 'pending',
          requestedAt: ts(1),
          requestedBy: 's',
          signedAt: ts(2),
        },
      ],
      [
        'revoked without a date',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: HASH,
          status: 'revoked',
          requestedAt: ts(1),
          requestedBy: 's',
        },
      ],
      [
        'an uppercase hash',
        {
          templateId: 't',
          templateVersion: 1,
          title: 't',
          text: 'x',
          textHash: 'A'.repeat(64),
          status: 'pending',
          requestedAt: ts(1),
          requestedBy: 's',
        },
      ],
    ],
  },
  {
    name: 'questionnaire',
    schema: questionnaireSchema,
    valid: questionnaire,
    long: [['questions', 0, 'label'], 300],
    enumAt: ['questions', 0, 'kind'],
    wrongType: [['questions'], {}],
    invalid: [
      [
        'a question id twice',
        { ...questionnaire, questions: [questionnaire.questions[1], questionnaire.questions[1]] },
      ],
      [
        'a choice of one',
        {
          ...questionnaire,
          questions: [
            { id: 'q', kind: 'single_choice', label: 'l', required: true, options: [{ value: 'a', label: 'A' }] },
          ],
        },
      ],
      [
        'an option twice',
        {
          ...questionnaire,
          questions: [
            {
              id: 'q',
              kind: 'single_choice',
              label: 'l',
              required: true,
              options: [
                { value: 'a', label: 'A' },
                { value: 'a', label: 'B' },
              ],
            },
          ],
        },
      ],
      [
        'a number range upside down',
        {
          ...questionnaire,
          questions: [{ id: 'q', kind: 'number', label: 'l', required: true, min: 5, max: 5, integer: true }],
        },
      ],
      [
        'options on a yes/no question',
        { ...questionnaire, questions: [{ id: 'q', kind: 'yes_no', label: 'l', required: true, options: [] }] },
      ],
      [
        'a key that is not a question key',
        { ...questionnaire, questions: [{ id: '__proto__', kind: 'yes_no', label: 'l', required: true }] },
      ],
      ['no questions', { ...questionnaire, questions: [] }],
    ],
  },
  {
    name: 'questionnaireAnswers',
    schema: questionnaireAnswersSchema,
    valid: {
      questionnaireId: 'intake',
      questionnaireVersion: 2,
      answers: { smoker: false, areas: ['face'], weight: 61.5, allergies: 'Penicilina' },
      submittedAt: ts(1),
      submittedBy: 'pac-ana-torres',
    },
    long: [['answers', 'allergies'], 2000],
    wrongType: [['answers'], ['smoker']],
    invalid: [
      [
        'a __proto__ answer',
        {
          questionnaireId: 'q',
          questionnaireVersion: 1,
          answers: JSON.parse('{"__proto__":"x","smoker":true}') as object,
          submittedAt: ts(1),
          submittedBy: 'p',
        },
      ],
      [
        'an object as an answer',
        {
          questionnaireId: 'q',
          questionnaireVersion: 1,
          answers: { smoker: { yes: true } },
          submittedAt: ts(1),
          submittedBy: 'p',
        },
      ],
      [
        'an empty text answer',
        {
          questionnaireId: 'q',
          questionnaireVersion: 1,
          answers: { allergies: '' },
          submittedAt: ts(1),
          submittedBy: 'p',
        },
      ],
    ],
  },
  {
    name: 'specialist',
    schema: specialistSchema,
    valid: specialist,
    long: [['bio'], 2000],
    enumAt: ['status'],
    wrongType: [['ratingCount'], '2'],
    invalid: [['a client-set rating over five', { ...specialist, ratingAverage: 6 }]],
  },
  {
    name: 'office',
    schema: officeSchema,
    valid: office,
    long: [['address'], 200],
    enumAt: ['modality'],
    moneyAt: ['prices', 0, 'price'],
    wrongType: [['slotMinutes'], '30'],
    invalid: [['a bad weekday', { ...office, weeklyHours: { lun: [] } }]],
  },
  {
    name: 'review',
    schema: reviewSchema,
    valid: { rating: 5, comment: 'Muy amable.', authorInitials: 'M. G.', createdAt: ts(1) },
    alsoValid: [['a seeded review without a date', { rating: 4, comment: '', authorInitials: 'Á.' }]],
    long: [['comment'], 2000],
    wrongType: [['rating'], '5'],
    invalid: [
      ['a full name', { rating: 5, comment: 'x', authorInitials: 'María García' }],
      ['the author uid', { rating: 5, comment: 'x', authorInitials: 'M. G.', patientUid: 'pac-ana-torres' }],
      ['half a star', { rating: 4.5, comment: 'x', authorInitials: 'M. G.' }],
    ],
  },
  {
    name: 'reviewReceipt',
    schema: reviewReceiptSchema,
    valid: { specialistUid: 'esp-valentina-rojas', patientUid: 'pac-ana-torres', reviewId: 'r1', createdAt: ts(1) },
    long: [['reviewId'], 128],
    wrongType: [['createdAt'], null],
  },
  {
    name: 'clinicalNote',
    schema: clinicalNoteSchema,
    valid: {
      authorUid: 'esp-valentina-rojas',
      text: 'Acné inflamatorio moderado. Plan: ...',
      createdAt: ts(1),
      updatedAt: ts(2),
    },
    long: [['text'], 20_000],
    wrongType: [['text'], ['Acné']],
  },
  {
    name: 'transaction',
    schema: transactionSchema,
    valid: {
      appointmentId: 'apt-1',
      patientUid: 'p',
      specialistUid: 's',
      amount: COP(18_000_000),
      provider: 'stripe',
      status: 'partially_refunded',
      refunded: COP(13_000_000),
      providerRef: 'pi_3Nabc',
      createdAt: ts(1),
      updatedAt: ts(2),
    },
    alsoValid: [
      [
        'cash at the visit',
        {
          appointmentId: 'apt-1',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          provider: 'cash',
          status: 'succeeded',
          createdAt: ts(1),
        },
      ],
      [
        'a checkout not yet started',
        {
          appointmentId: 'apt-1',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          provider: 'stripe',
          status: 'pending',
          createdAt: ts(1),
        },
      ],
    ],
    long: [['providerRef'], 255],
    enumAt: ['provider'],
    moneyAt: ['amount'],
    wrongType: [['amount'], 18_000_000],
    invalid: [
      [
        'a refund status without the refund',
        {
          appointmentId: 'a',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          provider: 'stripe',
          status: 'refunded',
          providerRef: 'pi_1',
          createdAt: ts(1),
        },
      ],
      [
        'a partial refund of everything',
        {
          appointmentId: 'a',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          refunded: COP(100),
          provider: 'stripe',
          status: 'partially_refunded',
          providerRef: 'pi_1',
          createdAt: ts(1),
        },
      ],
      [
        'cash with a provider id',
        {
          appointmentId: 'a',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          provider: 'cash',
          status: 'succeeded',
          providerRef: 'pi_1',
          createdAt: ts(1),
        },
      ],
      [
        'a settled Stripe charge without its id',
        {
          appointmentId: 'a',
          patientUid: 'p',
          specialistUid: 's',
          amount: COP(100),
          provider: 'stripe',
          status: 'succeeded',
          createdAt: ts(1),
        },
      ],
      [
        'a lowercase currency',
        {
          appointmentId: 'a',
          patientUid: 'p',
          specialistUid: 's',
          amount: { amount: 100, currency: 'cop' },
          provider: 'cash',
          status: 'succeeded',
          createdAt: ts(1),
        },
      ],
    ],
  },
  {
    name: 'payout',
    schema: payoutSchema,
    valid: {
      specialistUid: 'esp-valentina-rojas',
      period: '2026-03',
      amount: COP(90_000_000),
      status: 'paid',
      transactionCount: 5,
      createdAt: ts(1),
      paidAt: ts(2),
    },
    long: [['specialistUid'], 128],
    enumAt: ['status'],
    moneyAt: ['amount'],
    wrongType: [['transactionCount'], '5'],
    invalid: [
      [
        'month thirteen',
        {
          specialistUid: 's',
          period: '2026-13',
          amount: COP(1),
          status: 'pending',
          transactionCount: 1,
          createdAt: ts(1),
        },
      ],
      [
        'paid without a date',
        {
          specialistUid: 's',
          period: '2026-03',
          amount: COP(1),
          status: 'paid',
          transactionCount: 1,
          createdAt: ts(1),
        },
      ],
    ],
  },
  {
    name: 'stripeEvent',
    schema: stripeEventSchema,
    valid: { type: 'payment_intent.succeeded', receivedAt: ts(1), processedAt: ts(2), outcome: 'processed' },
    long: [['error'], 500],
    enumAt: ['outcome'],
    wrongType: [['receivedAt'], 'now'],
  },
  {
    name: 'auditEntry',
    schema: auditEntrySchema,
    valid: {
      who: 'staff-andina',
      role: 'staff',
      action: 'document.read',
      target: 'clinics/clinica-andina/patients/pac-ana-torres/documents/doc-1',
      at: ts(1),
      outcome: 'allowed',
      requestId: '4bf92f3577b34da6a3ce929d0e0e4736',
    },
    alsoValid: [
      [
        'a refused anonymous call',
        {
          who: null,
          role: 'anonymous',
          action: 'callable.denied',
          target: 'callables/bookAppointment',
          at: ts(1),
          outcome: 'denied',
          requestId: 'r-1',
          reason: 'signed-out',
        },
      ],
      [
        'the system',
        {
          who: null,
          role: 'system',
          action: 'appointment.transition',
          target: 'appointments/apt-1',
          at: ts(1),
          outcome: 'allowed',
          requestId: 'r-2',
        },
      ],
    ],
    long: [['reason'], 200],
    enumAt: ['action'],
    wrongType: [['who'], 7],
    invalid: [
      [
        'a person without a uid',
        {
          who: null,
          role: 'staff',
          action: 'document.read',
          target: 'x',
          at: ts(1),
          outcome: 'allowed',
          requestId: 'r',
        },
      ],
      [
        'the system with a uid',
        {
          who: 'x',
          role: 'system',
          action: 'document.read',
          target: 'x',
          at: ts(1),
          outcome: 'allowed',
          requestId: 'r',
        },
      ],
      [
        'a target with spaces',
        {
          who: 'x',
          role: 'staff',
          action: 'document.read',
          target: 'Ana Torres lab',
          at: ts(1),
          outcome: 'allowed',
          requestId: 'r',
        },
      ],
    ],
  },
  {
    name: 'idempotencyRecord',
    schema: idempotencyRecordSchema,
    valid: {
      uid: 'pac-ana-torres',
      callable: 'bookAppointment',
      payloadHash: HASH,
      response: { appointmentId: 'apt-1', status: 'confirmed' },
      createdAt: ts(1),
      expiresAt: ts(2),
    },
    long: [['uid'], 128],
    wrongType: [['payloadHash'], 123],
    invalid: [
      [
        'an oversized response',
        {
          uid: 'p',
          callable: 'x',
          payloadHash: HASH,
          response: 'x'.repeat(10_001),
          createdAt: ts(1),
          expiresAt: ts(2),
        },
      ],
      [
        'a Timestamp in the response',
        { uid: 'p', callable: 'x', payloadHash: HASH, response: { at: ts(1) }, createdAt: ts(1), expiresAt: ts(2) },
      ],
    ],
  },
];

const accepted = CASES.flatMap((c) => [
  [c.name, 'the valid document', c.schema, c.valid] as const,
  ...(c.alsoValid ?? []).map(([why, v]) => [c.name, why, c.schema, v] as const),
]);

/**
 * Strings that are not text anyone reads: a callable's stored answer, replayed as it was (idempotency), is opaque data.
 */
const OPAQUE = ['idempotencyRecord:response'];

/** Rows of [schema name, why, schema, value, the field path an issue must name (when the row targets one field)]. */
const rejected = CASES.flatMap((c) => {
  const at = (p: FieldPath) => p.join('.');
  const rows: [string, string, z.ZodType, unknown, string | null][] = [
    [c.name, 'an extra key', c.schema, { ...c.valid, extra: 1 }, ''],
    [c.name, 'an own __proto__ key', c.schema, withProtoKey(c.valid), ''],
    [c.name, 'a field of the wrong type', c.schema, setAt(c.valid, c.wrongType[0], c.wrongType[1]), at(c.wrongType[0])],
    [c.name, 'not an object', c.schema, 'document', ''],
  ];
  if (c.long) {
    rows.push([
      c.name,
      `a string over ${c.long[1]} characters`,
      c.schema,
      setAt(c.valid, c.long[0], 'x'.repeat(c.long[1] + 1)),
      at(c.long[0]),
    ]);
  }
  if (c.enumAt)
    rows.push([c.name, 'a value outside the enum', c.schema, setAt(c.valid, c.enumAt, 'not_a_value'), at(c.enumAt)]);
  if (c.moneyAt) {
    const amount = [...c.moneyAt, 'amount'];
    rows.push([c.name, 'negative money', c.schema, setAt(c.valid, amount, -1), at(amount)]);
    rows.push([c.name, 'fractional money', c.schema, setAt(c.valid, amount, 0.5), at(amount)]);
  }
  for (const [why, v] of c.invalid ?? []) rows.push([c.name, why, c.schema, v, null]);
  // The class, not the instance: no string of any collection carries a control, bidi or invisible character, whether
  // it is free text (the domain's text schema refuses it) or an id, code or phone (their patterns refuse it).
  for (const path of stringLeaves(c.valid)) {
    if (OPAQUE.some((o) => `${c.name}:${at(path)}`.startsWith(o))) continue;
    const original = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], c.valid);
    for (const ch of HOSTILE_CHARACTERS) {
      const escaped = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      rows.push([c.name, `${escaped} in ${at(path)}`, c.schema, setAt(c.valid, path, slipIn(String(original), ch)), at(path)]);
    }
  }
  return rows;
});

describe('collection schemas', () => {
  it.each(accepted)('%s accepts %s', (_name, _why, schema, value) => {
    const r = schema.safeParse(value);
    expect(r.error?.issues ?? []).toEqual([]);
  });

  it.each(rejected)('%s rejects %s', (_name, _why, schema, value, path) => {
    const r = schema.safeParse(value);
    expect(r.success).toBe(false);
    // A row aimed at one field must fail because of that field, not because the variant broke something else.
    if (path !== null) expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('small rules next to the schemas', () => {
  it.each([
    [{ active: true, grantedAt: ts(1), grantedBy: 'x' }, true],
    [{ active: false, grantedAt: ts(1), grantedBy: 'x', revokedAt: ts(2) }, false],
    [{}, false],
    [{ active: true, revokedAt: ts(2) }, false],
  ])('isActiveGrant(%o) is %s', (grant, expected) => {
    expect(isActiveGrant(grant)).toBe(expected);
  });

  it.each([
    ['Ana Torres', 'A. T.'],
    ['Ana María Torres Núñez', 'A. N.'],
    ['  Óscar   ', 'Ó.'],
    ['ñandú Ünver', 'Ñ. U.'],
    ['Çelik', 'C.'],
    ['李 小龙', null],
    ['', null],
  ])('reviewInitials(%j) is %j', (name, expected) => {
    const initials = reviewInitials(name);
    expect(initials).toBe(expected);
    if (initials !== null) expect(reviewSchema.shape.authorInitials.safeParse(initials).success).toBe(true);
  });

  it.each([
    ['Hola', 'Hola'],
    ['  varias\n\nlíneas\taquí ', 'varias líneas aquí'],
    ['x'.repeat(PREVIEW_MAX_CHARS), 'x'.repeat(PREVIEW_MAX_CHARS)],
    ['x'.repeat(PREVIEW_MAX_CHARS + 1), `${'x'.repeat(PREVIEW_MAX_CHARS - 1)}…`],
    // The cut never leaves half an emoji (a lone surrogate) or a dangling joiner, which the preview's schema refuses.
    [`${'x'.repeat(PREVIEW_MAX_CHARS - 2)}😀😀`, `${'x'.repeat(PREVIEW_MAX_CHARS - 2)}…`],
    [`${'x'.repeat(PREVIEW_MAX_CHARS - 4)}👩\u200D⚕️ fin`, `${'x'.repeat(PREVIEW_MAX_CHARS - 4)}👩…`],
  ])('messagePreview(%j) is %j', (text, expected) => {
    expect(messagePreview(text)).toBe(expected);
    expect(conversationSchema.shape.lastMessage.unwrap().shape.text.safeParse(messagePreview(text)).success).toBe(true);
  });

  it('names exception and payout documents deterministically', () => {
    expect(availabilityExceptionId('2026-12-24')).toBe('2026-12-24');
    expect(availabilityExceptionId('2026-12-24', 'principal')).toBe('2026-12-24_principal');
    expect(payoutId('esp-valentina-rojas', '2026-03')).toBe('esp-valentina-rojas_2026-03');
    expect(id.safeParse(availabilityExceptionId('2026-12-24', 'principal')).success).toBe(true);
  });

  it('accepts every IANA zone the runtime lists', () => {
    const refused = Intl.supportedValuesOf('timeZone').filter((tz) => !timeZone.safeParse(tz).success);
    expect(refused).toEqual([]);
  });

  it.each(['-05:00', '+01:00', 'GMT-5', 'America/Atlantis', '', 'Europe/Madrid '.repeat(6)])(
    'timeZone refuses %j',
    (value) => {
      expect(timeZone.safeParse(value).success).toBe(false);
    },
  );

  it.each(['__proto__', '__name__', 'a/b', '', 'x'.repeat(129), 'ana torres'])('id refuses %j', (value) => {
    expect(id.safeParse(value).success).toBe(false);
  });
});

describe('answerIssues', () => {
  it.each([
    [
      'a complete submission',
      {
        smoker: true,
        skin: 'dry',
        areas: ['face', 'back'],
        weight: 70.5,
        since: '2025-11-02',
        itch: 7,
        allergies: 'Ninguna',
      },
      [],
    ],
    ['only the required answer', { smoker: false }, []],
    ['a missing required answer', { skin: 'dry' }, ['smoker']],
    ['an unknown question', { smoker: true, mood: 'ok' }, ['mood']],
    ['text for yes/no', { smoker: 'sí' }, ['smoker']],
    ['an option that does not exist', { smoker: true, skin: 'normal' }, ['skin']],
    ['a repeated option', { smoker: true, areas: ['face', 'face'] }, ['areas']],
    ['a number out of range', { smoker: true, weight: 0 }, ['weight']],
    ['a scale step that is not whole', { smoker: true, itch: 6.5 }, ['itch']],
    ['a date that does not exist', { smoker: true, since: '2025-02-30' }, ['since']],
    ['text over its own limit', { smoker: true, allergies: 'x'.repeat(501) }, ['allergies']],
  ])('%s', (_why, answers, expectedIds) => {
    expect(answerIssues(questionnaire, answers).map((i) => i.questionId)).toEqual(expectedIds);
  });
});
