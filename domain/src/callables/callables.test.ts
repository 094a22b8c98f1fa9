import { describe, expect, it } from 'vitest';
import { HOSTILE_CHARACTERS, setAt, slipIn, stringLeaves, withProtoKey, type FieldPath } from '../model/testing';
import { CALLABLES, type CallableName } from './registry';

const UUID = '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f';
const START = '2027-01-15T09:00:00-05:00';
const HASH = 'b'.repeat(64);
const COP = (amount: number) => ({ amount, currency: 'COP' });

/**
 * One row per callable: valid request and response, and where to break the request. `long` is a bounded string with
 * its bound, `empty` a required string, `date` an ISO instant, `zone` a time zone, `count` a non-negative integer.
 */
interface CallableCase {
  request: object;
  response: object;
  alsoValid?: [string, object][];
  wrongType: [FieldPath, unknown];
  long?: [FieldPath, number];
  empty?: FieldPath;
  date?: FieldPath;
  zone?: FieldPath;
  count?: FieldPath;
  invalid?: [string, object][];
}

const book = {
  specialistUid: 'esp-valentina-rojas',
  officeId: 'video',
  siteId: 'telesalud',
  start: START,
  reason: 'Control de acné',
  visitType: 'follow_up',
  forWhom: 'self',
  contactPhone: '+57 300 555 0101',
  idempotencyKey: UUID,
};
const requestAvailability = {
  specialistUid: 'esp-valentina-rojas',
  modality: 'video',
  preferredWindows: [{ start: '2027-01-15T07:00:00-05:00', end: '2027-01-15T08:00:00-05:00' }],
  timeZone: 'America/Bogota',
  reason: 'Consulta antes del trabajo',
  visitType: 'first',
  forWhom: 'dependant',
  dependantName: 'Tomás Torres',
  contactPhone: '+57 300 555 0101',
  idempotencyKey: UUID,
};

const CASES = {
  bookAppointment: {
    request: book,
    response: {
      appointmentId: 'apt-1',
      status: 'pending_payment',
      start: START,
      end: '2027-01-15T09:30:00-05:00',
      price: COP(18_000_000),
      paymentDueAt: '2027-01-14T09:00:00Z',
    },
    alsoValid: [
      [
        'a booking for a dependant',
        { ...book, forWhom: 'dependant', dependantName: 'Tomás' },
      ],
      ['a start in UTC', { ...book, start: '2027-01-15T14:00:00Z' }],
      ['a start with milliseconds', { ...book, start: '2027-01-15T14:00:00.000+01:00' }],
    ],
    wrongType: [['officeId'], 30],
    long: [['reason'], 500],
    empty: ['reason'],
    date: ['start'],
    invalid: [
      ['a start without offset', { ...book, start: '2027-01-15T09:00:00' }],
      ['a dependant without a name', { ...book, forWhom: 'dependant' }],
      ['a client-chosen price', { ...book, price: COP(1) }],
      ['a client-chosen status', { ...book, status: 'confirmed' }],
      ['an idempotency key that is not a UUID', { ...book, idempotencyKey: 'abc' }],
      // The visit's length is the office's: a request naming one is refused, whatever the value.
      ['a client-chosen duration', { ...book, durationMinutes: 30 }],
      ['a client-chosen four-hour duration', { ...book, durationMinutes: 240 }],
      ['a client-chosen end', { ...book, end: '2027-01-15T13:00:00-05:00' }],
      ['a phone with letters', { ...book, contactPhone: 'call me' }],
      ['a reason of spaces', { ...book, reason: '    ' }],
    ],
  },
  cancelAppointment: {
    request: { appointmentId: 'apt-1', reason: 'No puedo asistir', idempotencyKey: UUID },
    response: { appointmentId: 'apt-1', status: 'cancelled', fee: COP(0), refund: COP(18_000_000) },
    wrongType: [['appointmentId'], 1],
    long: [['reason'], 500],
    empty: ['reason'],
    invalid: [
      ['a client-chosen refund', { appointmentId: 'apt-1', reason: 'x', idempotencyKey: UUID, refund: COP(1) }],
    ],
  },
  rescheduleAppointment: {
    request: { appointmentId: 'apt-1', start: START, siteId: 'telesalud', idempotencyKey: UUID },
    response: {
      appointmentId: 'apt-1',
      status: 'confirmed',
      start: START,
      end: '2027-01-15T09:30:00-05:00',
      price: COP(18_000_000),
    },
    wrongType: [['start'], 1_800_000_000],
    long: [['officeId'], 128],
    empty: ['appointmentId'],
    date: ['start'],
    invalid: [
      ['a client-chosen duration', { appointmentId: 'apt-1', start: START, idempotencyKey: UUID, durationMinutes: 240 }],
      ['a client-chosen end', { appointmentId: 'apt-1', start: START, idempotencyKey: UUID, end: '2027-01-15T13:00:00-05:00' }],
      ['a client-chosen price', { appointmentId: 'apt-1', start: START, idempotencyKey: UUID, price: COP(1) }],
    ],
  },
  recordAttendance: {
    request: { appointmentId: 'apt-1', outcome: 'no_show', note: 'No se conectó' },
    response: { appointmentId: 'apt-1', status: 'no_show' },
    wrongType: [['outcome'], true],
    long: [['note'], 500],
    empty: ['appointmentId'],
    invalid: [['cancelling through attendance', { appointmentId: 'apt-1', outcome: 'cancelled' }]],
  },
  requestAvailability: {
    request: requestAvailability,
    response: { requestId: 'req-1', status: 'open', expiresAt: '2027-01-10T00:00:00Z' },
    wrongType: [['preferredWindows'], '07:00-08:00'],
    long: [['dependantName'], 120],
    empty: ['reason'],
    date: ['preferredWindows', 0, 'start'],
    zone: ['timeZone'],
    invalid: [
      [
        'a window ending before it starts',
        {
          ...requestAvailability,
          preferredWindows: [{ start: '2027-01-15T08:00:00-05:00', end: '2027-01-15T07:00:00-05:00' }],
        },
      ],
      [
        'six windows',
        {
          ...requestAvailability,
          preferredWindows: Array.from({ length: 6 }, () => requestAvailability.preferredWindows[0]),
        },
      ],
      ['a fixed offset instead of a zone', { ...requestAvailability, timeZone: '-05:00' }],
      [
        'an extra key inside a window',
        { ...requestAvailability, preferredWindows: [{ ...requestAvailability.preferredWindows[0], note: 'x' }] },
      ],
    ],
  },
  proposeTime: {
    request: {
      requestId: 'req-1',
      officeId: 'principal',
      siteId: 'telesalud',
      start: START,
      message: '¿Le sirve el viernes?',
    },
    response: {
      requestId: 'req-1',
      appointmentId: 'apt-2',
      status: 'proposed',
      start: START,
      end: '2027-01-15T09:30:00-05:00',
      price: COP(18_000_000),
    },
    wrongType: [['requestId'], ['req-1']],
    long: [['message'], 1000],
    empty: ['siteId'],
    date: ['start'],
    count: ['durationMinutes'],
  },
  declineRequest: {
    request: { requestId: 'req-1', reason: 'Agenda completa este mes' },
    response: { requestId: 'req-1', status: 'declined' },
    wrongType: [['reason'], 5],
    long: [['reason'], 500],
    empty: ['requestId'],
  },
  answerProposal: {
    request: { requestId: 'req-1', answer: 'decline', reason: 'Ya no lo necesito', idempotencyKey: UUID },
    response: { requestId: 'req-1', status: 'declined', appointmentId: 'apt-2', appointmentStatus: 'cancelled' },
    alsoValid: [['an acceptance', { requestId: 'req-1', answer: 'accept', idempotencyKey: UUID }]],
    wrongType: [['answer'], true],
    long: [['reason'], 500],
    empty: ['requestId'],
    invalid: [
      ['an acceptance with a reason', { requestId: 'req-1', answer: 'accept', reason: 'x', idempotencyKey: UUID }],
    ],
  },
  grantPortalAccess: {
    request: { clinicId: 'clinica-andina', patientUid: 'pac-ana-torres' },
    response: {
      clinicId: 'clinica-andina',
      patientUid: 'pac-ana-torres',
      active: true,
      grantedAt: '2027-01-01T10:00:00Z',
    },
    wrongType: [['patientUid'], null],
    long: [['clinicId'], 128],
    empty: ['patientUid'],
    invalid: [['a path instead of an id', { clinicId: 'clinics/clinica-andina', patientUid: 'p' }]],
  },
  revokePortalAccess: {
    request: { clinicId: 'clinica-andina', patientUid: 'pac-ana-torres', reason: 'Solicitud de la paciente' },
    response: {
      clinicId: 'clinica-andina',
      patientUid: 'pac-ana-torres',
      active: false,
      revokedAt: '2027-01-01T10:00:00Z',
    },
    wrongType: [['reason'], {}],
    long: [['reason'], 500],
    empty: ['clinicId'],
  },
  setClinicMembership: {
    request: {
      clinicId: 'clinica-andina',
      uid: 'staff-andina',
      role: 'staff',
      active: true,
      displayName: 'Paula Castro',
    },
    response: { clinicId: 'clinica-andina', uid: 'staff-andina', role: 'staff', active: true },
    wrongType: [['active'], 'true'],
    long: [['displayName'], 120],
    empty: ['uid'],
    invalid: [['making someone an admin', { clinicId: 'c', uid: 'u', role: 'admin', active: true }]],
  },
  approveSpecialist: {
    request: { specialistUid: 'esp-pau-ferrer', status: 'approved' },
    response: { specialistUid: 'esp-pau-ferrer', status: 'approved' },
    alsoValid: [
      [
        'a suspension with its reason',
        { specialistUid: 'esp-pau-ferrer', status: 'suspended', note: 'Colegiatura vencida' },
      ],
    ],
    wrongType: [['specialistUid'], 12],
    long: [['note'], 1000],
    empty: ['specialistUid'],
    invalid: [
      ['a suspension without a reason', { specialistUid: 'esp-pau-ferrer', status: 'suspended' }],
      ['sending back to review', { specialistUid: 'esp-pau-ferrer', status: 'pending_review', note: 'x' }],
    ],
  },
  submitReview: {
    request: { appointmentId: 'apt-1', rating: 5, comment: 'Muy amable y clara.' },
    response: { reviewId: 'rev-1' },
    alsoValid: [['a rating without comment', { appointmentId: 'apt-1', rating: 3 }]],
    wrongType: [['rating'], '5'],
    long: [['comment'], 2000],
    empty: ['comment'],
    invalid: [
      ['half a star', { appointmentId: 'apt-1', rating: 4.5 }],
      ['six stars', { appointmentId: 'apt-1', rating: 6 }],
      ['a negative rating', { appointmentId: 'apt-1', rating: -1 }],
      ['chosen initials', { appointmentId: 'apt-1', rating: 5, authorInitials: 'X. X.' }],
    ],
  },
  markConversationRead: {
    request: { conversationId: 'conv-1' },
    response: { conversationId: 'conv-1', unread: 0 },
    wrongType: [['conversationId'], { id: 'conv-1' }],
    long: [['conversationId'], 128],
    empty: ['conversationId'],
    invalid: [['setting a counter', { conversationId: 'conv-1', unread: 0 }]],
  },
  registerDocument: {
    request: {
      clinicId: 'clinica-andina',
      patientUid: 'pac-ana-torres',
      documentId: 'doc-1',
      fileName: 'hemograma.pdf',
      type: 'lab_result',
      title: 'Hemograma',
      visibleToPatient: true,
      notifyPatient: true,
    },
    response: { documentId: 'doc-1', notified: true },
    wrongType: [['visibleToPatient'], 'yes'],
    long: [['title'], 200],
    empty: ['title'],
    invalid: [
      [
        'a file name with folders',
        {
          clinicId: 'c',
          patientUid: 'p',
          documentId: 'd',
          fileName: '../other/x.pdf',
          type: 'report',
          title: 't',
          visibleToPatient: true,
          notifyPatient: false,
        },
      ],
      [
        'a client-declared size',
        {
          clinicId: 'c',
          patientUid: 'p',
          documentId: 'd',
          fileName: 'x.pdf',
          type: 'report',
          title: 't',
          visibleToPatient: true,
          notifyPatient: false,
          size: 10,
        },
      ],
      [
        'notifying about a hidden document',
        {
          clinicId: 'c',
          patientUid: 'p',
          documentId: 'd',
          fileName: 'x.pdf',
          type: 'report',
          title: 't',
          visibleToPatient: false,
          notifyPatient: true,
        },
      ],
      [
        'an unknown type',
        {
          clinicId: 'c',
          patientUid: 'p',
          documentId: 'd',
          fileName: 'x.pdf',
          type: 'selfie',
          title: 't',
          visibleToPatient: true,
          notifyPatient: false,
        },
      ],
    ],
  },
  requestConsent: {
    request: {
      clinicId: 'clinica-andina',
      patientUid: 'pac-ana-torres',
      templateId: 'teleconsulta',
      appointmentId: 'apt-1',
    },
    response: { consentId: 'con-1', textHash: HASH },
    wrongType: [['templateId'], false],
    long: [['templateId'], 128],
    empty: ['templateId'],
  },
  signConsent: {
    request: {
      clinicId: 'clinica-andina',
      consentId: 'con-1',
      textHash: HASH,
      signatureStoragePath: 'clinics/clinica-andina/patients/pac-ana-torres/consents/con-1/signature.png',
      signedByName: 'Ana Torres',
    },
    response: { consentId: 'con-1', status: 'signed', signedAt: '2027-01-01T10:00:00-05:00' },
    wrongType: [['textHash'], 123],
    long: [['signedByName'], 120],
    empty: ['signedByName'],
    invalid: [
      [
        'a short hash',
        { clinicId: 'c', consentId: 'x', textHash: 'abc', signatureStoragePath: 'a/b.png', signedByName: 'A' },
      ],
      [
        'a signature outside Storage paths',
        {
          clinicId: 'c',
          consentId: 'x',
          textHash: HASH,
          signatureStoragePath: 'https://evil.example/s.png',
          signedByName: 'A',
        },
      ],
    ],
  },
  submitAnswers: {
    request: {
      clinicId: 'clinica-andina',
      questionnaireId: 'intake',
      questionnaireVersion: 2,
      answers: { smoker: false, areas: ['face'], weight: 61.5 },
    },
    response: { answerId: 'ans-1' },
    wrongType: [['answers'], 'smoker=false'],
    long: [['answers', 'smoker'], 2000],
    empty: ['questionnaireId'],
    count: ['questionnaireVersion'],
    invalid: [
      [
        'a __proto__ answer',
        {
          clinicId: 'c',
          questionnaireId: 'q',
          questionnaireVersion: 1,
          answers: JSON.parse('{"__proto__":{"polluted":true}}') as object,
        },
      ],
      [
        'a nested object answer',
        { clinicId: 'c', questionnaireId: 'q', questionnaireVersion: 1, answers: { smoker: { value: true } } },
      ],
      [
        'an answer with an unsafe key',
        { clinicId: 'c', questionnaireId: 'q', questionnaireVersion: 1, answers: { 'constructor.prototype': 'x' } },
      ],
    ],
  },
  saveQuestionnaire: {
    request: {
      clinicId: 'clinica-andina',
      title: 'Antes de su primera consulta',
      active: true,
      questions: [
        { id: 'smoker', kind: 'yes_no', label: '¿Fuma?', required: true },
        { id: 'areas', kind: 'multiple_choice', label: 'Zonas', required: false, options: [{ value: 'face', label: 'Cara' }, { value: 'back', label: 'Espalda' }] },
      ],
    },
    response: { questionnaireId: 'q-intake', version: 2 },
    alsoValid: [['an edit of an existing one', { clinicId: 'c', questionnaireId: 'q1', title: 'T', active: false, questions: [{ id: 'a', kind: 'date', label: '¿Cuándo?', required: true }] }]],
    wrongType: [['active'], 'yes'],
    long: [['title'], 200],
    empty: ['title'],
    count: ['questions'],
    invalid: [
      ['no questions', { clinicId: 'c', title: 'T', active: true, questions: [] }],
      ['a question of an unknown kind', { clinicId: 'c', title: 'T', active: true, questions: [{ id: 'x', kind: 'script', label: '¿?', required: false }] }],
      ['a question label over 300 characters', { clinicId: 'c', title: 'T', active: true, questions: [{ id: 'x', kind: 'yes_no', label: 'x'.repeat(301), required: false }] }],
      ['duplicate question ids', { clinicId: 'c', title: 'T', active: true, questions: [{ id: 'x', kind: 'yes_no', label: 'a', required: false }, { id: 'x', kind: 'date', label: 'b', required: false }] }],
      ['a client-chosen version', { clinicId: 'c', title: 'T', active: true, version: 9, questions: [{ id: 'x', kind: 'yes_no', label: 'a', required: false }] }],
    ],
  },
} satisfies Record<CallableName, CallableCase>;

const rows = (Object.keys(CASES) as CallableName[]).map((name) => [name, CASES[name] as CallableCase] as const);

const accepted = rows.flatMap(([name, c]) => [
  [name, 'its example request', c.request] as const,
  ...(c.alsoValid ?? []).map(([why, v]) => [name, why, v] as const),
]);

/** [callable, why, payload, the field an issue must name (null when the row is not about one field)]. */
const rejected = rows.flatMap(([name, c]) => {
  const at = (p: FieldPath) => p.join('.');
  const out: [CallableName, string, unknown, string | null][] = [
    [name, 'an unknown key', { ...c.request, isAdmin: true }, ''],
    [name, 'an own __proto__ key', withProtoKey(c.request), ''],
    [name, 'a field of the wrong type', setAt(c.request, c.wrongType[0], c.wrongType[1]), at(c.wrongType[0])],
    [name, 'an array instead of an object', [c.request], ''],
    [name, 'null', null, ''],
  ];
  if (c.long)
    out.push([
      name,
      `a string over ${c.long[1]} characters`,
      setAt(c.request, c.long[0], 'x'.repeat(c.long[1] + 1)),
      at(c.long[0]),
    ]);
  if (c.empty) out.push([name, 'an empty string', setAt(c.request, c.empty, ''), at(c.empty)]);
  if (c.date) {
    for (const bad of ['2027-02-30T09:00:00-05:00', '2027-01-15 09:00', 'mañana', '2027-01-15T25:00:00Z']) {
      out.push([name, `the bad instant ${bad}`, setAt(c.request, c.date, bad), at(c.date)]);
    }
  }
  if (c.zone) out.push([name, 'an unknown time zone', setAt(c.request, c.zone, 'America/Atlantis'), at(c.zone)]);
  if (c.count) {
    out.push([name, 'a negative number', setAt(c.request, c.count, -30), at(c.count)]);
    out.push([name, 'a non-integer number', setAt(c.request, c.count, 2.5), at(c.count)]);
  }
  for (const [why, v] of c.invalid ?? []) out.push([name, why, v, null]);
  // Every string of every request, free text or not, refuses control, bidi and invisible characters.
  for (const path of stringLeaves(c.request)) {
    const original = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], c.request);
    for (const ch of HOSTILE_CHARACTERS) {
      const shown = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      out.push([name, `${shown} in ${at(path)}`, setAt(c.request, path, slipIn(String(original), ch)), at(path)]);
    }
  }
  return out;
});

describe('callable requests', () => {
  it.each(accepted)('%s accepts %s', (name, _why, payload) => {
    expect(CALLABLES[name].request.safeParse(payload).error?.issues ?? []).toEqual([]);
  });

  it.each(rejected)('%s rejects %s', (name, _why, payload, path) => {
    const r = CALLABLES[name].request.safeParse(payload);
    expect(r.success).toBe(false);
    if (path !== null) expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('callable responses', () => {
  it.each(rows)('%s: the example response is valid and strict', (name, c) => {
    const schema = CALLABLES[name].response;
    expect(schema.safeParse(c.response).error?.issues ?? []).toEqual([]);
    expect(schema.safeParse({ ...c.response, debug: 'stack trace' }).success).toBe(false);
  });

  it('never sends a Timestamp object: instants are ISO strings', () => {
    const at = { seconds: 1, nanoseconds: 0, toDate: () => new Date(1000) };
    expect(
      CALLABLES.grantPortalAccess.response.safeParse({ clinicId: 'c', patientUid: 'p', active: true, grantedAt: at })
        .success,
    ).toBe(false);
  });
});
