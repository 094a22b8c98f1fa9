/**
 * One seeded world for the access-matrix suites: the actors (uids and custom claims), one or more valid documents of
 * every collection in COLLECTIONS, the grant documents rules read, and the valid client writes of each client-writable
 * collection. Every document is checked against its domain schema when this module loads, so the rules are judged on
 * realistic data; what an actor may do follows from these documents (see `activeMemberships`, `activePortalClinics`).
 */
import {
  deleteField,
  doc,
  FieldValue,
  serverTimestamp,
  Timestamp,
  writeBatch,
  type DocumentData,
  type Firestore,
} from 'firebase/firestore';
import {
  availabilityExceptionId,
  COLLECTIONS,
  customClaimsSchema,
  isActiveGrant,
  paths,
  officeSchema,
  payoutId,
  searchListingsFor,
  specialistSchema,
  storagePaths,
  type CollectionName,
  type CollectionSpec,
  type CustomClaims,
} from '../../../domain/src';
import type { RulesEnv } from './env';

export const CLINIC = 'andina';
export const OTHER_CLINIC = 'iberia';

/** Every uid of the world: the eight signed-in actors of ACTORS, then two who appear only in documents. */
export const UID = {
  ana: 'p-ana',
  beto: 'p-beto',
  rev: 'p-rev',
  lopez: 'esp-lopez',
  ruiz: 'esp-ruiz',
  staffAndina: 'staff-andina',
  staffIberia: 'staff-iberia',
  root: 'root',
  /** A specialist whose profile is under review: the "public only while approved" documents. */
  nuevo: 'esp-nuevo',
  /** A staff member whose membership predates the grant fields: grants nothing (isActiveGrant fails closed). */
  legacyStaff: 'staff-legacy',
} as const;

/** The document ids of the world, one place to read them from. */
export const ID = {
  appointment: 'appt-ana',
  otherAppointment: 'appt-beto',
  pastAppointment: 'appt-ana-2026',
  historyEntry: 'h-created',
  note: 'note-1',
  request: 'req-ana',
  conversation: 'conv-ana-lopez',
  otherConversation: 'conv-beto-ruiz',
  message: 'msg-1',
  notification: 'n-confirmed',
  transaction: 'tx-ana',
  period: '2027-01',
  stripeEvent: 'evt_1QmAndinaPaid',
  audit: 'audit-1',
  idempotencyKey: '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f',
  visibleDocument: 'doc-visible',
  hiddenDocument: 'doc-hidden',
  revDocument: 'doc-rev',
  template: 'tpl-telemedicina',
  consent: 'consent-ana',
  revConsent: 'consent-rev',
  questionnaire: 'q-intake',
  answers: 'ans-ana',
  revAnswers: 'ans-rev',
  office: 'bogota-centro',
  exceptionDate: '2027-03-01',
  slotLock: 'esp-lopez_20270115T1400Z',
  busyDay: '2027-01-15',
  review: 'rev-1',
} as const;

export const ACTOR_KEYS = [
  'ownerPatient',
  'otherPatient',
  'assignedSpecialist',
  'otherSpecialist',
  'clinicStaff',
  'otherClinicStaff',
  'admin',
  'anonymous',
  'revokedPatient',
] as const;
export type ActorKey = (typeof ACTOR_KEYS)[number];

/** Who is calling: a uid with custom claims, or nobody signed in. */
export interface Actor {
  readonly key: ActorKey;
  readonly uid: string | null;
  readonly claims: CustomClaims | null;
}

function actor(key: ActorKey, uid: string | null, claims: CustomClaims | null): Actor {
  return { key, uid, claims: claims === null ? null : customClaimsSchema.parse(claims) };
}

export const ACTORS: Readonly<Record<ActorKey, Actor>> = {
  ownerPatient: actor('ownerPatient', UID.ana, { roles: ['patient'] }),
  otherPatient: actor('otherPatient', UID.beto, { roles: ['patient'] }),
  assignedSpecialist: actor('assignedSpecialist', UID.lopez, { roles: ['specialist'], clinicIds: [CLINIC] }),
  otherSpecialist: actor('otherSpecialist', UID.ruiz, { roles: ['specialist'] }),
  clinicStaff: actor('clinicStaff', UID.staffAndina, { roles: ['staff'], clinicIds: [CLINIC] }),
  otherClinicStaff: actor('otherClinicStaff', UID.staffIberia, { roles: ['staff'], clinicIds: [OTHER_CLINIC] }),
  admin: actor('admin', UID.root, { roles: ['admin'] }),
  anonymous: actor('anonymous', null, null),
  revokedPatient: actor('revokedPatient', UID.rev, { roles: ['patient'] }),
};

/**
 * The Firestore an actor's requests go through.
 * @param env - the running rules environment
 * @param who - the actor
 */
export function dbOf(env: RulesEnv, who: Actor): Firestore {
  return who.uid === null || who.claims === null ? env.anon() : env.as(who.uid, { ...who.claims });
}

/** The uid written into the documents an actor authors; anonymous writes claim a uid nobody has. */
export function authorUid(who: Actor): string {
  return who.uid ?? 'anonimo';
}

// ---------------------------------------------------------------------------------------------------------------
// Instants: fixed, so that the documents are the same on every run.

const at = (iso: string): Timestamp => Timestamp.fromDate(new Date(iso));
const T = {
  granted: at('2026-06-01T12:00:00Z'),
  revoked: at('2026-11-01T12:00:00Z'),
  created: at('2026-12-01T15:00:00Z'),
  start: at('2027-01-15T14:00:00Z'),
  end: at('2027-01-15T14:30:00Z'),
  requestFrom: at('2027-02-01T13:00:00Z'),
  requestTo: at('2027-02-01T17:00:00Z'),
  expires: at('2027-01-10T00:00:00Z'),
};
const COP = (amount: number) => ({ amount, currency: 'COP' });
const HASH = 'a3f1c9d2e4b5a6978877665544332211ffeeddccbbaa99887766554433221100';

// ---------------------------------------------------------------------------------------------------------------
// The documents.

/** One seeded document: its collection, path and data. */
export interface SeedDoc {
  readonly collection: CollectionName;
  readonly path: string;
  readonly data: DocumentData;
}

/**
 * The spec of a collection by name.
 * @param name - a name of COLLECTIONS
 */
export function specOf(name: CollectionName): CollectionSpec {
  const spec = COLLECTIONS.find((c) => c.name === name);
  if (!spec) throw new Error(`no collection ${name}`);
  return spec;
}

/**
 * The placeholders of a path under a collection's pattern, or null when the path is not one of its documents.
 * @param pattern - e.g. 'clinics/{clinicId}/members/{uid}'
 * @param path - a document path
 */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(part);
      if (!m?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/]+?)';
    })
    .join('');
  const found = new RegExp(`^${source}$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((n, i) => [n, found[i + 1] ?? '']));
}

/**
 * Replaces write sentinels by what the server would store: serverTimestamp() by now, deleteField() by absence.
 * @param data - a document or patch as the client sends it
 */
export function resolveSentinels(data: DocumentData): DocumentData {
  const out: DocumentData = {};
  for (const [k, v] of Object.entries(data)) {
    if (v instanceof FieldValue) {
      if (v.isEqual(serverTimestamp())) out[k] = Timestamp.now();
      else if (!v.isEqual(deleteField())) throw new Error(`unsupported sentinel at ${k}`);
    } else out[k] = v;
  }
  return out;
}

/**
 * Whether a document (sentinels resolved) is valid for its collection's schema.
 * @param name - the collection
 * @param data - the document
 */
export function schemaAccepts(name: CollectionName, data: DocumentData): boolean {
  return specOf(name).schema.safeParse(resolveSentinels(data)).success;
}

/**
 * Fails loudly when a fixture is not a valid document of its collection: the matrix must judge realistic data.
 * @param name - the collection
 * @param path - where the document lives (must match the collection's pattern)
 * @param data - the document, sentinels allowed
 */
export function checked(name: CollectionName, path: string, data: DocumentData): DocumentData {
  const spec = specOf(name);
  if (!matchPattern(spec.pattern, path)) throw new Error(`${path} is not a ${name} path (${spec.pattern})`);
  const parsed = spec.schema.safeParse(resolveSentinels(data));
  if (!parsed.success) throw new Error(`invalid ${name} fixture at ${path}: ${parsed.error.message}`);
  return data;
}

const seed = (collection: CollectionName, path: string, data: DocumentData): SeedDoc => ({
  collection,
  path,
  data: checked(collection, path, data),
});

const grant = (grantedBy: string) => ({ active: true, grantedAt: T.granted, grantedBy });
const revokedGrant = (grantedBy: string) => ({ active: false, grantedAt: T.granted, grantedBy, revokedAt: T.revoked });

const profile = (displayName: string, email: string, requestedRole: 'patient' | 'specialist') => ({
  displayName,
  email,
  locale: 'es',
  timeZone: 'America/Bogota',
  requestedRole,
  roleStatus: 'active',
  createdAt: T.granted,
});

const specialist = (displayName: string, status: 'approved' | 'pending_review', clinicIds: string[]) => ({
  displayName,
  title: 'Dra.',
  bio: 'Dermatóloga con quince años de práctica en Bogotá.',
  education: [{ degree: 'Médica cirujana', institution: 'Universidad Nacional de Colombia', year: 2009 }],
  specialties: ['dermatologia'],
  areasOfExpertise: ['Acné', 'Dermatoscopia'],
  languages: ['es'],
  clinicIds,
  status,
  paymentPolicy: 'prepay',
  acceptsVideo: true,
  acceptsInPerson: true,
  ratingAverage: 4.5,
  ratingCount: 2,
  cities: ['Bogotá'],
});

const office = {
  name: 'Consultorio Centro',
  address: 'Calle 93 #11-26, Chicó',
  city: 'Bogotá',
  country: 'CO',
  location: { lat: 4.6768, lng: -74.0486 },
  geohash: 'd2g6f3',
  timeZone: 'America/Bogota',
  modality: 'video',
  weeklyHours: { mon: [{ start: '08:00', end: '12:00' }], wed: [{ start: '14:00', end: '18:00' }] },
  breaks: [],
  slotMinutes: 30,
  bufferMinutes: 10,
  prices: [{ siteId: 'telesalud', price: COP(18_000_000) }],
};

const clinicPatient = (displayName: string, email: string) => ({
  displayName,
  contact: { email, phone: '+57 300 555 0101' },
  dateOfBirth: '1990-04-12',
  documentId: '1.020.304.050',
  createdAt: T.granted,
  createdBy: UID.staffAndina,
  updatedAt: T.granted,
});

const patientDocument = (patientUid: string, documentId: string, visibleToPatient: boolean) => ({
  ...(patientUid === UID.ana ? { appointmentId: ID.appointment } : {}),
  type: 'lab_result',
  title: visibleToPatient ? 'Hemograma completo' : 'Biopsia (pendiente de explicar)',
  storagePath: storagePaths.patientDocumentFile(CLINIC, patientUid, documentId, 'resultado.pdf'),
  contentType: 'application/pdf',
  size: 184_320,
  uploadedBy: UID.lopez,
  uploadedAt: T.created,
  visibleToPatient,
  notifyPatient: visibleToPatient,
});

const consent = {
  templateId: ID.template,
  templateVersion: 3,
  title: 'Consentimiento para telemedicina',
  text: 'Acepto ser atendida por videoconsulta y entiendo sus limitaciones.',
  textHash: HASH,
  appointmentId: ID.appointment,
  status: 'pending',
  requestedAt: T.created,
  requestedBy: UID.staffAndina,
};

const questionnaire = {
  title: 'Antes de tu primera consulta',
  description: 'Cinco minutos que ahorran quince en la consulta.',
  version: 2,
  active: true,
  questions: [
    { id: 'allergies', kind: 'text', label: '¿Tienes alergias?', required: false, maxLength: 500 },
    { id: 'smoker', kind: 'yes_no', label: '¿Fumas?', required: true },
  ],
  createdAt: T.granted,
  updatedAt: T.granted,
  updatedBy: UID.staffAndina,
};

const answers = (submittedBy: string) => ({
  questionnaireId: ID.questionnaire,
  questionnaireVersion: 2,
  ...(submittedBy === UID.ana ? { appointmentId: ID.appointment } : {}),
  answers: { allergies: 'Penicilina', smoker: false },
  submittedAt: T.created,
  submittedBy,
});

const appointment = (patientUid: string, specialistUid: string, clinicId: string | null) => ({
  patientUid,
  specialistUid,
  ...(clinicId === null ? {} : { clinicId }),
  officeId: ID.office,
  siteId: 'telesalud',
  modality: 'video',
  start: T.start,
  end: T.end,
  timeZone: 'America/Bogota',
  reason: 'Control de acné',
  visitType: 'follow_up',
  forWhom: 'self',
  contactPhone: '+57 300 555 0101',
  price: COP(18_000_000),
  paymentPolicy: 'prepay',
  status: 'confirmed',
  videoRoom: { channel: 'room-8f3k2q9x', createdAt: T.created },
  idempotencyKey: ID.idempotencyKey,
  createdAt: T.created,
  updatedAt: T.created,
});

const conversation = (patientUid: string, specialistUid: string, appointmentId: string) => ({
  participants: [patientUid, specialistUid],
  appointmentId,
  lastMessage: { senderUid: patientUid, text: '¿Debo ir en ayunas?', hasAttachments: false },
  lastMessageAt: T.created,
  unread: { [patientUid]: 0, [specialistUid]: 1 },
  createdAt: T.created,
});

/** Every seeded document, in write order. */
export const SEED_DOCS: readonly SeedDoc[] = [
  // users and their inbox
  seed('users', paths.user(UID.ana), profile('Ana Pérez', 'ana@example.test', 'patient')),
  seed('users', paths.user(UID.beto), profile('Beto Gómez', 'beto@example.test', 'patient')),
  seed('users', paths.user(UID.rev), profile('Rebeca Vargas', 'rebeca@example.test', 'patient')),
  seed('users', paths.user(UID.lopez), profile('Lucía López', 'lucia@example.test', 'specialist')),
  seed('users', paths.user(UID.ruiz), profile('Raúl Ruiz', 'raul@example.test', 'specialist')),
  seed('notifications', paths.notification(UID.ana, ID.notification), {
    kind: 'appointment_confirmed',
    title: 'Cita confirmada',
    body: 'Tu cita con la Dra. López es el 15 de enero a las 9:00.',
    link: `/citas/${ID.appointment}`,
    createdAt: T.created,
    channels: ['in_app', 'email'],
  }),

  // clinics, memberships and portal grants
  seed('clinics', paths.clinic(CLINIC), {
    name: 'Clínica Andina',
    city: 'Bogotá',
    country: 'CO',
    timeZone: 'America/Bogota',
    policies: { cancellationWindowHours: 24, lateCancellationFee: COP(5_000_000), portalAccess: 'email_phone' },
  }),
  seed('clinics', paths.clinic(OTHER_CLINIC), {
    name: 'Centro Médico Iberia',
    city: 'Madrid',
    country: 'ES',
    timeZone: 'Europe/Madrid',
    policies: {
      cancellationWindowHours: 48,
      lateCancellationFee: { amount: 2500, currency: 'EUR' },
      portalAccess: 'email_phone',
    },
  }),
  seed('clinicMembers', paths.clinicMember(CLINIC, UID.lopez), {
    role: 'specialist',
    displayName: 'Dra. Lucía López',
    ...grant(UID.staffAndina),
  }),
  seed('clinicMembers', paths.clinicMember(CLINIC, UID.staffAndina), {
    role: 'staff',
    displayName: 'Recepción Andina',
    ...grant(UID.root),
  }),
  seed('clinicMembers', paths.clinicMember(OTHER_CLINIC, UID.staffIberia), {
    role: 'staff',
    displayName: 'Recepción Iberia',
    ...grant(UID.root),
  }),
  seed('clinicMembers', paths.clinicMember(CLINIC, UID.legacyStaff), { role: 'staff', displayName: 'Cuenta antigua' }),
  seed('portalGrants', paths.portalGrant(CLINIC, UID.ana), grant(UID.staffAndina)),
  seed('portalGrants', paths.portalGrant(CLINIC, UID.beto), grant(UID.staffAndina)),
  seed('portalGrants', paths.portalGrant(CLINIC, UID.rev), revokedGrant(UID.staffAndina)),

  // the clinic's records of its patients
  seed('clinicPatients', paths.clinicPatient(CLINIC, UID.ana), clinicPatient('Ana Pérez', 'ana@example.test')),
  seed('clinicPatients', paths.clinicPatient(CLINIC, UID.beto), clinicPatient('Beto Gómez', 'beto@example.test')),
  seed('clinicPatients', paths.clinicPatient(CLINIC, UID.rev), clinicPatient('Rebeca Vargas', 'rebeca@example.test')),
  seed(
    'patientDocuments',
    paths.patientDocument(CLINIC, UID.ana, ID.visibleDocument),
    patientDocument(UID.ana, ID.visibleDocument, true),
  ),
  seed(
    'patientDocuments',
    paths.patientDocument(CLINIC, UID.ana, ID.hiddenDocument),
    patientDocument(UID.ana, ID.hiddenDocument, false),
  ),
  seed(
    'patientDocuments',
    paths.patientDocument(CLINIC, UID.rev, ID.revDocument),
    patientDocument(UID.rev, ID.revDocument, true),
  ),
  seed('consentTemplates', paths.consentTemplate(CLINIC, ID.template), {
    title: 'Consentimiento para telemedicina',
    version: 3,
    text: 'Acepto ser atendida por videoconsulta y entiendo sus limitaciones.',
    active: true,
    updatedAt: T.granted,
    updatedBy: UID.staffAndina,
  }),
  seed('consents', paths.consent(CLINIC, UID.ana, ID.consent), consent),
  seed('consents', paths.consent(CLINIC, UID.rev, ID.revConsent), {
    ...Object.fromEntries(Object.entries(consent).filter(([k]) => k !== 'appointmentId')),
    status: 'signed',
    signedAt: T.created,
    signatureStoragePath: storagePaths.consentSignature(CLINIC, UID.rev, ID.revConsent, 'firma.png'),
    signedByName: 'Rebeca Vargas',
  }),
  seed('questionnaires', paths.questionnaire(CLINIC, ID.questionnaire), questionnaire),
  seed('questionnaireAnswers', paths.questionnaireAnswers(CLINIC, UID.ana, ID.answers), answers(UID.ana)),
  seed('questionnaireAnswers', paths.questionnaireAnswers(CLINIC, UID.rev, ID.revAnswers), answers(UID.rev)),

  // public profiles
  seed('specialists', paths.specialist(UID.lopez), specialist('Dra. Lucía López', 'approved', [CLINIC])),
  seed('specialists', paths.specialist(UID.ruiz), {
    ...specialist('Dr. Raúl Ruiz', 'approved', []),
    title: 'Dr.',
  }),
  seed('specialists', paths.specialist(UID.nuevo), specialist('Dra. Nora Nuevo', 'pending_review', [])),
  seed('offices', paths.office(UID.lopez, ID.office), office),
  seed('offices', paths.office(UID.nuevo, ID.office), office),
  // What the trigger writes for the approved profile (the pending one has none).
  ...searchListingsFor(UID.lopez, specialistSchema.parse(specialist('Dra. Lucía López', 'approved', [CLINIC])), [
    { id: ID.office, office: officeSchema.parse(office) },
  ]).map((l) => seed('searchListings', paths.searchListing(l.id), l.listing)),
  seed('availabilityExceptions', paths.exception(UID.lopez, availabilityExceptionId(ID.exceptionDate)), {
    date: ID.exceptionDate,
    kind: 'closed',
  }),
  seed('availabilityExceptions', paths.exception(UID.nuevo, availabilityExceptionId(ID.exceptionDate)), {
    date: ID.exceptionDate,
    kind: 'closed',
  }),
  seed('busy', paths.busyDay(UID.lopez, ID.busyDay), { intervals: [{ start: T.start, end: T.end }] }),
  seed('busy', paths.busyDay(UID.nuevo, ID.busyDay), { intervals: [{ start: T.start, end: T.end }] }),
  seed('slotLocks', paths.slotLock(UID.lopez, ID.slotLock), {
    appointmentId: ID.appointment,
    start: T.start,
    end: T.end,
  }),
  seed('reviews', paths.review(UID.lopez, ID.review), {
    rating: 5,
    comment: 'Muy clara y puntual.',
    authorInitials: 'A. P.',
    createdAt: T.created,
  }),
  seed('reviews', paths.review(UID.nuevo, ID.review), { rating: 4, comment: 'Amable.', authorInitials: 'B. G.' }),
  seed('reviewReceipts', paths.reviewReceipt(ID.pastAppointment), {
    specialistUid: UID.lopez,
    patientUid: UID.ana,
    reviewId: ID.review,
    createdAt: T.created,
  }),

  // appointments and what hangs from them
  seed('appointments', paths.appointment(ID.appointment), appointment(UID.ana, UID.lopez, CLINIC)),
  seed('appointments', paths.appointment(ID.otherAppointment), appointment(UID.beto, UID.ruiz, null)),
  seed('appointmentHistory', paths.appointmentHistoryEntry(ID.appointment, ID.historyEntry), {
    at: T.created,
    by: null,
    role: 'system',
    from: null,
    to: 'pending_payment',
  }),
  seed('clinicalNotes', paths.clinicalNote(ID.appointment, ID.note), {
    authorUid: UID.lopez,
    text: 'Mejoría notable con el tratamiento tópico. Continuar ocho semanas.',
    createdAt: T.created,
    updatedAt: T.created,
  }),
  seed('availabilityRequests', paths.availabilityRequest(ID.request), {
    patientUid: UID.ana,
    specialistUid: UID.lopez,
    clinicId: CLINIC,
    modality: 'video',
    officeId: ID.office,
    preferredWindows: [{ start: T.requestFrom, end: T.requestTo }],
    timeZone: 'America/Bogota',
    message: 'Solo puedo por la tarde.',
    reason: 'Revisión de lunar',
    visitType: 'first',
    forWhom: 'self',
    contactPhone: '+57 300 555 0101',
    status: 'open',
    createdAt: T.created,
    updatedAt: T.created,
    expiresAt: T.expires,
  }),

  // conversations
  seed('conversations', paths.conversation(ID.conversation), conversation(UID.ana, UID.lopez, ID.appointment)),
  seed(
    'conversations',
    paths.conversation(ID.otherConversation),
    conversation(UID.beto, UID.ruiz, ID.otherAppointment),
  ),
  seed('messages', paths.message(ID.conversation, ID.message), {
    senderUid: UID.ana,
    text: '¿Debo ir en ayunas?',
    createdAt: T.created,
  }),

  // money and bookkeeping
  seed('transactions', paths.transaction(ID.transaction), {
    appointmentId: ID.appointment,
    patientUid: UID.ana,
    specialistUid: UID.lopez,
    amount: COP(18_000_000),
    provider: 'stripe',
    status: 'succeeded',
    providerRef: 'pi_3QmAndina00001',
    createdAt: T.created,
  }),
  seed('payouts', paths.payout(payoutId(UID.lopez, ID.period)), {
    specialistUid: UID.lopez,
    period: ID.period,
    amount: COP(16_200_000),
    status: 'pending',
    transactionCount: 1,
    createdAt: T.created,
  }),
  seed('stripeEvents', paths.stripeEvent(ID.stripeEvent), {
    type: 'payment_intent.succeeded',
    receivedAt: T.created,
    processedAt: T.created,
    outcome: 'processed',
  }),
  seed('auditLog', paths.auditEntry(ID.audit), {
    who: UID.staffAndina,
    role: 'staff',
    action: 'document.upload',
    target: paths.patientDocument(CLINIC, UID.ana, ID.visibleDocument),
    at: T.created,
    outcome: 'allowed',
    requestId: 'req-7f3a9c',
  }),
  seed('idempotency', paths.idempotency(UID.ana, ID.idempotencyKey), {
    uid: UID.ana,
    callable: 'bookAppointment',
    payloadHash: HASH,
    response: { appointmentId: ID.appointment, status: 'confirmed' },
    createdAt: T.created,
    expiresAt: T.expires,
  }),
];

const SEED_BY_PATH = new Map(SEED_DOCS.map((d) => [d.path, d]));

/**
 * The seeded document at a path.
 * @param path - a document path of the world
 */
export function seeded(path: string): SeedDoc {
  const found = SEED_BY_PATH.get(path);
  if (!found) throw new Error(`nothing seeded at ${path}`);
  return found;
}

/**
 * The seeded data at a path, or undefined.
 * @param path - a document path
 */
export function seededData(path: string): DocumentData | undefined {
  return SEED_BY_PATH.get(path)?.data;
}

// ---------------------------------------------------------------------------------------------------------------
// The grants, read from the documents above exactly as rules read them.

/**
 * The clinics where a uid holds an active membership, with its role.
 * @param uid - the member
 */
export function activeMemberships(uid: string): Map<string, 'staff' | 'specialist'> {
  const out = new Map<string, 'staff' | 'specialist'>();
  const spec = specOf('clinicMembers');
  for (const d of SEED_DOCS) {
    const m = d.collection === 'clinicMembers' ? matchPattern(spec.pattern, d.path) : null;
    const role: unknown = d.data.role;
    if (m?.uid === uid && m.clinicId && isActiveGrant(d.data) && (role === 'staff' || role === 'specialist'))
      out.set(m.clinicId, role);
  }
  return out;
}

/**
 * The clinics where a patient's portal grant is active.
 * @param uid - the patient
 */
export function activePortalClinics(uid: string): Set<string> {
  const out = new Set<string>();
  const spec = specOf('portalGrants');
  for (const d of SEED_DOCS) {
    const m = d.collection === 'portalGrants' ? matchPattern(spec.pattern, d.path) : null;
    if (m?.patientUid === uid && m.clinicId && isActiveGrant(d.data)) out.add(m.clinicId);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding and restoring, with rules off, in batches.

/**
 * Clears the emulator and writes the whole world in one batch.
 * @param env - the running rules environment
 */
export async function seedWorld(env: RulesEnv): Promise<void> {
  await env.testEnv.clearFirestore();
  await env.admin(async (db) => {
    const batch = writeBatch(db);
    for (const d of SEED_DOCS) batch.set(doc(db, d.path), d.data);
    await batch.commit();
  });
}

/**
 * Puts seeded documents back as they were seeded (after a write that succeeded).
 * @param env - the running rules environment
 * @param docPaths - seeded paths
 */
export async function restore(env: RulesEnv, docPaths: readonly string[]): Promise<void> {
  if (docPaths.length === 0) return;
  await env.admin(async (db) => {
    const batch = writeBatch(db);
    for (const p of docPaths) {
      const d = SEED_BY_PATH.get(p);
      if (d) batch.set(doc(db, p), d.data);
      else batch.delete(doc(db, p));
    }
    await batch.commit();
  });
}

/**
 * Deletes documents (so that the next write to them is a create).
 * @param env - the running rules environment
 * @param docPaths - paths to delete
 */
export async function remove(env: RulesEnv, docPaths: readonly string[]): Promise<void> {
  if (docPaths.length === 0) return;
  await env.admin(async (db) => {
    const batch = writeBatch(db);
    for (const p of docPaths) batch.delete(doc(db, p));
    await batch.commit();
  });
}

/**
 * Sets one document with rules off (a grant revoked mid-test, say).
 * @param env - the running rules environment
 * @param path - the document
 * @param data - its new data
 */
export async function adminSet(env: RulesEnv, path: string, data: DocumentData): Promise<void> {
  await env.admin(async (db) => {
    const batch = writeBatch(db);
    batch.set(doc(db, path), data);
    await batch.commit();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Valid client writes: what the app sends, per collection that clients write (writers 'client:…'), as a function of
// who writes. Each is schema-valid once the server resolves its sentinels; timestamps the spec ties to request.time
// are serverTimestamp().

export const CLIENT_WRITABLE = [
  'users',
  'notifications',
  'clinicPatients',
  'consentTemplates',
  'availabilityExceptions',
  'clinicalNotes',
  'messages',
] as const satisfies readonly CollectionName[];
export type ClientWritable = (typeof CLIENT_WRITABLE)[number];

/**
 * A valid create of a collection's document, as `writer` would send it.
 * @param name - the collection
 * @param writer - the uid written into author fields
 * @param path - where it is created (some fields follow from the id: an exception's date)
 */
export function validCreate(name: CollectionName, writer: string, path: string): DocumentData {
  switch (name) {
    case 'users':
      return {
        displayName: 'Ana Pérez',
        email: 'ana@example.test',
        phone: '+57 300 555 0101',
        locale: 'es',
        timeZone: 'America/Bogota',
        requestedRole: 'patient',
        createdAt: serverTimestamp(),
      };
    case 'clinicPatients':
      return {
        displayName: 'Ana Pérez',
        contact: { email: 'ana@example.test', phone: '+57 300 555 0101' },
        dateOfBirth: '1990-04-12',
        documentId: '1.020.304.050',
        createdAt: serverTimestamp(),
        createdBy: writer,
        updatedAt: serverTimestamp(),
      };
    case 'consentTemplates':
      return {
        title: 'Consentimiento para fotografías clínicas',
        version: 1,
        text: 'Autorizo que se tomen fotografías de la zona tratada para mi historia clínica.',
        active: true,
        updatedAt: serverTimestamp(),
        updatedBy: writer,
      };
    case 'availabilityExceptions': {
      // The id is availabilityExceptionId(date, officeId): the fields follow from it.
      const exceptionId = path.split('/').pop() ?? '';
      const [date = '', officeId] = exceptionId.split('_');
      return {
        date,
        kind: 'hours',
        intervals: [{ start: '09:00', end: '12:00' }],
        ...(officeId === undefined ? {} : { officeId }),
      };
    }
    case 'clinicalNotes':
      return {
        authorUid: writer,
        text: 'Paciente refiere mejoría. Se mantiene el tratamiento.',
        createdAt: serverTimestamp(),
        updatedAt: serverTimestamp(),
      };
    case 'messages': {
      const conversationId = path.split('/')[1] ?? '';
      return {
        senderUid: writer,
        text: 'Le envío la foto que me pidió.',
        createdAt: serverTimestamp(),
        attachments: [storagePaths.chatAttachment(conversationId, writer, 'foto.jpg')],
      };
    }
    default:
      // A server-written collection: the best a client could send is a perfectly valid document.
      return seeded(path).data;
  }
}

/**
 * A valid update of a seeded document, as `writer` would send it: for client-writable collections the app's own
 * update, with every update client field; for server-written ones a schema-valid change a client might try.
 * @param name - the collection
 * @param writer - the uid written into author fields
 * @param path - the seeded document
 */
export function validUpdate(name: CollectionName, writer: string, path: string): DocumentData {
  const current = seeded(path).data;
  const version = typeof current.version === 'number' ? current.version : 1;
  switch (name) {
    case 'users':
      return { displayName: 'Ana María Pérez', phone: '+57 301 000 0000', locale: 'en', timeZone: 'America/Lima' };
    case 'notifications':
      return { readAt: serverTimestamp() };
    case 'clinicPatients':
      return {
        displayName: 'Ana María Pérez',
        contact: { email: 'ana.maria@example.test', phone: '+57 301 000 0000' },
        dateOfBirth: '1990-04-13',
        documentId: '1.020.304.051',
        updatedAt: serverTimestamp(),
      };
    case 'consentTemplates':
      return {
        title: 'Consentimiento para telemedicina (2027)',
        version: version + 1,
        text: 'Acepto ser atendida por videoconsulta, entiendo sus limitaciones y que puedo pedir una cita presencial.',
        active: true,
        updatedAt: serverTimestamp(),
        updatedBy: writer,
      };
    case 'questionnaires':
      // Server-written (saveQuestionnaire): a well-formed edit a staff client might still try.
      return {
        title: 'Antes de tu consulta',
        version: version + 1,
        active: false,
        questions: [{ id: 'smoker', kind: 'yes_no', label: '¿Fumas?', required: true }],
        updatedAt: serverTimestamp(),
        updatedBy: writer,
      };
    case 'availabilityExceptions':
      return { kind: 'hours', intervals: [{ start: '14:00', end: '16:00' }] };
    case 'clinicalNotes':
      return { text: 'Mejoría notable. Continuar ocho semanas y control en marzo.', updatedAt: serverTimestamp() };
    case 'messages':
      return { text: '¿Debo ir en ayunas? (editado)' };
    case 'clinics':
      return { name: 'Clínica Andina Norte' };
    case 'clinicMembers':
      return { role: 'staff' };
    case 'portalGrants':
      return { active: true, grantedBy: writer, revokedAt: deleteField() };
    case 'patientDocuments':
      return { visibleToPatient: current.visibleToPatient !== true, notifyPatient: false };
    case 'consents':
      return current.status === 'pending'
        ? { status: 'revoked', revokedAt: Timestamp.now() }
        : { signedByName: 'Otra Persona' };
    case 'questionnaireAnswers':
      return { answers: { allergies: 'Ninguna', smoker: true } };
    case 'specialists':
      return current.status === 'approved' ? { ratingAverage: 5, ratingCount: 99 } : { status: 'approved' };
    case 'offices':
      return { prices: [{ siteId: 'telesalud', price: COP(1) }] };
    case 'busy':
      return { intervals: [] };
    case 'searchListings':
      return { ratingAverage: 5, ratingCount: 99 };
    case 'slotLocks':
      return { appointmentId: ID.otherAppointment };
    case 'reviews':
      return { rating: 1 };
    case 'reviewReceipts':
      return { reviewId: 'rev-otra' };
    case 'appointments':
      return { status: 'completed', updatedAt: serverTimestamp() };
    case 'appointmentHistory':
      return { note: 'Corregido a mano' };
    case 'availabilityRequests':
      return { status: 'declined', declineReason: 'Ya no lo necesito', updatedAt: serverTimestamp() };
    case 'conversations':
      return { unread: { [UID.ana]: 0, [UID.lopez]: 0 } };
    case 'transactions':
      return { status: 'refunded', refunded: COP(18_000_000), updatedAt: serverTimestamp() };
    case 'payouts':
      return { status: 'paid', paidAt: serverTimestamp() };
    case 'stripeEvents':
      return { outcome: 'ignored' };
    case 'auditLog':
      return { outcome: 'denied', reason: 'borrado' };
    case 'idempotency':
      return { response: { appointmentId: 'appt-otra', status: 'confirmed' } };
  }
}

/**
 * A document after an update: the seeded data with the patch applied (top-level keys, sentinels resolved).
 * @param path - the seeded document
 * @param patch - the update
 */
export function afterUpdate(path: string, patch: DocumentData): DocumentData {
  return resolveSentinels({ ...seeded(path).data, ...patch });
}

/** Every collection in COLLECTIONS has at least one seeded document (checked when the module loads). */
for (const spec of COLLECTIONS) {
  if (!SEED_DOCS.some((d) => d.collection === spec.name)) throw new Error(`no seeded ${spec.name}`);
}

/**
 * The collection a document path belongs to, by COLLECTIONS' patterns.
 * @param path - a document path
 */
export function collectionOfPath(path: string): CollectionName {
  const spec = COLLECTIONS.find((c) => matchPattern(c.pattern, path) !== null);
  if (!spec) throw new Error(`no collection for ${path}`);
  return spec.name;
}
