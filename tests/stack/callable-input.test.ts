/**
 * What every callable does with hostile input, through raw HTTP on the local stack (the web SDK would not send most of
 * it): a payload nested thousands deep, huge arrays, typed `@type` wrappers, oversized bodies and payloads of the
 * wrong type all answer invalid-argument (or a 4xx of the Functions runtime), never 500; and the audit log stays
 * bounded and ours: a flood of refused signed-out calls becomes one counter per callable, reason and minute, and a
 * client's trace header never becomes a request id.
 */
import { describe, expect, it } from 'vitest';
import { PROJECT_ID } from '../../scripts/stack';
import type { SignedInClient } from './support/clients';
import { useStack } from './support/use-stack';

const ports = { firestore: 18080, storage: 18199, auth: 18099, functions: 18001, hub: 18400, logging: 18500 };
const suite = useStack({ name: 'callable-input', ports });
const TRACE = 'hostile0trace0id';

/** Each deployed callable, with a seeded person holding one of its roles (so the payload is what gets judged). */
const CALLERS = {
  setClinicMembership: 'recepcion.andina@demo.telesalud.test',
  grantPortalAccess: 'recepcion.andina@demo.telesalud.test',
  revokePortalAccess: 'recepcion.andina@demo.telesalud.test',
  saveQuestionnaire: 'recepcion.andina@demo.telesalud.test',
  registerDocument: 'recepcion.andina@demo.telesalud.test',
  approveSpecialist: 'admin@demo.telesalud.test',
  bookAppointment: 'paciente@demo.telesalud.test',
  cancelAppointment: 'paciente@demo.telesalud.test',
  rescheduleAppointment: 'paciente@demo.telesalud.test',
} as const;
type Name = keyof typeof CALLERS;
const signedIn = new Map<string, Promise<SignedInClient>>();

async function tokenFor(email: string): Promise<string> {
  let c = signedIn.get(email);
  if (!c) {
    c = suite.people.signIn(email);
    signedIn.set(email, c);
  }
  return (await c).user.getIdToken();
}

/** HTTP status and callable error status of one hand-written request. */
async function post(name: string, body: string, headers: Record<string, string> = {}): Promise<{ http: number; status: string; message: string }> {
  const r = await fetch(`${suite.stack.urls.functions}/${PROJECT_ID}/us-central1/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = await r.text();
  let parsed: { error?: { status?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON: the runtime answered before the callable (its status is what counts then).
  }
  return { http: r.status, status: parsed.error?.status ?? 'OK', message: parsed.error?.message ?? text.slice(0, 200) };
}

const nestedArrays = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** [what, raw body, message the answer must contain]: each must be INVALID_ARGUMENT (HTTP 400). */
const HOSTILE: [string, string, RegExp][] = [
  ['arrays nested 5,000 deep', `{"data":{"clinicId":${nestedArrays(5_000)}}}`, /nested deeper than 32/],
  ['objects nested 5,000 deep', `{"data":${nestedObjects(5_000)}}`, /nested deeper than 32/],
  ['arrays nested 100,000 deep', `{"data":${nestedArrays(100_000)}}`, /nested deeper than 32/],
  ['an array of 200,000 numbers', `{"data":{"clinicId":[${Array.from({ length: 200_000 }, () => '1').join(',')}]}}`, /more than 10000 values/],
  ['an object of 20,000 keys', `{"data":{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":1`).join(',')}}}`, /more than 10000 values/],
  ['a 2 MiB string', `{"data":{"clinicId":"${'x'.repeat(2 * 1024 * 1024)}"}}`, /larger than 1048576 bytes/],
  ['an unknown @type wrapper', '{"data":{"@type":"type.googleapis.com/evil.Type","value":"1"}}', /@type/],
  ['an Int64Value that is not a number', '{"data":{"clinicId":{"@type":"type.googleapis.com/google.protobuf.Int64Value","value":"abc"}}}', /@type/],
  ['an own __proto__ key, deep', '{"data":{"x":[{"y":{"__proto__":{"isAdmin":true}}}]}}', /__proto__/],
  ['a string payload', '{"data":"x"}', /Invalid request/],
  ['a number payload', '{"data":42}', /Invalid request/],
  ['an array payload', '{"data":[1,2,3]}', /Invalid request/],
  ['a null payload', '{"data":null}', /Invalid request/],
  ['a boolean payload', '{"data":true}', /Invalid request/],
];

describe('every callable answers 4xx, never 500, to hostile payloads', () => {
  const rows = (Object.keys(CALLERS) as Name[]).flatMap((name) => HOSTILE.map(([what, body, message]) => [name, what, body, message] as const));
  it.each(rows)('%s: %s → INVALID_ARGUMENT', async (name, _what, body, message) => {
    const answer = await post(name, body, { Authorization: `Bearer ${await tokenFor(CALLERS[name])}` });
    expect(answer).toMatchObject({ http: 400, status: 'INVALID_ARGUMENT' });
    expect(answer.message).toMatch(message);
  });

  it('a signed-out caller with a hostile payload is told to sign in, not a 500', async () => {
    expect(await post('setClinicMembership', `{"data":{"clinicId":${nestedArrays(5_000)}}}`)).toMatchObject({ http: 401, status: 'UNAUTHENTICATED' });
  });

  it('bodies the runtime itself refuses (not JSON, no data, extra keys, wrong method) are 4xx', async () => {
    const auth = { Authorization: `Bearer ${await tokenFor(CALLERS.setClinicMembership)}` };
    for (const body of ['{"data":', '{}', '{"data":{},"isAdmin":true}', 'data=1']) {
      const answer = await post('setClinicMembership', body, auth);
      expect(answer.http, body).toBeGreaterThanOrEqual(400);
      expect(answer.http, body).toBeLessThan(500);
    }
    const get = await fetch(`${suite.stack.urls.functions}/${PROJECT_ID}/us-central1/setClinicMembership`, { headers: auth });
    expect(get.status).toBeGreaterThanOrEqual(400);
    expect(get.status).toBeLessThan(500);
  });
});

interface AuditRow {
  id: string;
  requestId?: unknown;
  target?: unknown;
  role?: unknown;
  count?: unknown;
  reason?: unknown;
}

async function audit(): Promise<AuditRow[]> {
  return (await suite.adminDb.collection('auditLog').get()).docs.map((d) => ({ id: d.id, ...d.data() }));
}

describe('the audit log stays bounded and keeps its own request ids', () => {
  it('200 refused signed-out calls leave at most one counter per minute, counting all 200', async () => {
    const before = new Set((await audit()).map((e) => e.id));
    const codes: string[] = [];
    // One after another: the Functions emulator starts a new worker (seconds) for each request that finds all busy.
    for (let i = 0; i < 200; i++) codes.push((await post('cancelAppointment', '{"data":{}}', { 'X-Cloud-Trace-Context': `${TRACE}/1;o=1` })).status);
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
    const added = (await audit()).filter((e) => !before.has(e.id));
    // 200 calls take seconds: they may straddle a minute boundary, never more than one.
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.length).toBeLessThanOrEqual(2);
    expect(added.reduce((n, e) => n + (typeof e.count === 'number' ? e.count : 0), 0)).toBe(200);
    for (const e of added) expect(e).toMatchObject({ target: 'callables/cancelAppointment', role: 'anonymous', reason: 'signed-out' });
  });

  it("a client's trace header never becomes a request id, signed in or not", async () => {
    const patient = { Authorization: `Bearer ${await tokenFor('paciente@demo.telesalud.test')}`, 'X-Cloud-Trace-Context': `${TRACE}/7;o=1` };
    // A patient may not manage memberships: a refusal with a per-call audit entry.
    expect(await post('setClinicMembership', '{"data":{}}', patient)).toMatchObject({ status: 'PERMISSION_DENIED' });
    const entries = await audit();
    const mine = entries.filter((e) => e.target === 'callables/setClinicMembership' && e.role === 'patient');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entries.filter((e) => String(e.requestId).includes(TRACE))).toEqual([]);
  });
});
