/**
 * Hostile input to the engine (issue #12, items 8, 9, 12, 14, 16), sent the way an attacker would: raw HTTP and raw
 * gRPC, never through an SDK that would refuse to build the message. Every case must end in a clear 4xx-class error
 * (or, for the rules, the same PERMISSION_DENIED whatever exists), never a 500, a hang or a leak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from './support/harness';
import { rawGrpc, unsignedToken, type RawGrpc } from './support/raw-grpc';

const PROJECT = 'demo-hostile';
const DB = `projects/${PROJECT}/databases/(default)`;
const DOCS = `${DB}/documents`;

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /appointments/{id} {
      allow read: if request.auth != null && resource.data.patientId == request.auth.uid;
      allow create: if request.auth != null && request.resource.data.patientId == request.auth.uid;
      allow update: if request.auth != null && resource.data.patientId == request.auth.uid
        && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['note']);
    }
    match /secrets/{id} {
      allow read, write: if false;
    }
    match /dropbox/{id} {
      allow create, update: if request.auth != null;
    }
  }
}
`;

let target: Target;
let grpcP1: RawGrpc;
const P1 = `Bearer ${unsignedToken('p1', PROJECT)}`;
const OWNER = 'Bearer owner';

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/** An HTTP request to the engine with a raw body (a string is sent as is, anything else as JSON). */
async function http(method: string, path: string, body?: unknown, authorization = P1): Promise<Answer> {
  const r = await fetch(`http://${target.host}${path}`, {
    method,
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a WebChannel frame, or text): the text is the answer.
  }
  return { status: r.status, body: parsed, text };
}

const v1 = (method: string, body: unknown, authorization = P1, path = DOCS) => http('POST', `/v1/${path}:${method}`, body, authorization);
const commit = (writes: unknown[], authorization = P1) => v1('commit', { writes }, authorization);
const str = (s: string) => ({ stringValue: s });
const eq = (fieldPath: string, value: unknown) => ({ fieldFilter: { field: { fieldPath }, op: 'EQUAL', value } });
const query = (structuredQuery: Record<string, unknown>) => ({ structuredQuery: { from: [{ collectionId: 'appointments' }], ...structuredQuery } });
const names = (a: Answer): string[] =>
  Array.isArray(a.body) ? a.body.flatMap((r: { document?: { name: string } }) => (r.document ? [r.document.name.split('/').pop() ?? ''] : [])) : [];

/** A filter that sets two members of Filter's oneof: the rules used to judge the field filter, the executor ran the other. */
const AMBIGUOUS = {
  emptyComposite: { compositeFilter: { op: 'AND', filters: [] }, ...eq('patientId', str('p1')) },
  unaryAndField: { unaryFilter: { op: 'IS_NOT_NULL', field: { fieldPath: 'patientId' } }, ...eq('patientId', str('p1')) },
};

beforeAll(async () => {
  target = await startTarget();
  const put = await http('PUT', `/emulator/v1/projects/${PROJECT}:securityRules`, { rules: { files: [{ content: RULES }] } });
  expect(put.status).toBe(200);
  const seeded = await commit(
    [
      { update: { name: `${DOCS}/appointments/a1`, fields: { patientId: str('p1'), reason: str('flu') } } },
      { update: { name: `${DOCS}/appointments/a2`, fields: { patientId: str('p2'), reason: str('private') } } },
      { update: { name: `${DOCS}/secrets/s1`, fields: { x: str('y') } } },
    ],
    OWNER,
  );
  expect(seeded.status).toBe(200);
  grpcP1 = rawGrpc(target.host, P1);
});

afterAll(async () => {
  grpcP1.close();
  await target.close();
});

describe('item 8: a message that sets two members of a oneof is refused, on every transport', () => {
  it('a well-formed patient query still lists only her appointments (the baseline the attack bypassed)', async () => {
    const a = await v1('runQuery', query({ where: eq('patientId', str('p1')) }));
    expect([a.status, names(a)]).toEqual([200, ['a1']]);
  });

  it.each(Object.entries(AMBIGUOUS))('REST runQuery with %s is INVALID_ARGUMENT, listing nothing', async (_, where) => {
    const a = await v1('runQuery', query({ where }));
    expect(a.status).toBe(400);
    expect(a.text).toContain('INVALID_ARGUMENT');
    expect(a.text).not.toContain('private');
  });

  it.each(Object.entries(AMBIGUOUS))('REST runAggregationQuery with %s is INVALID_ARGUMENT', async (_, where) => {
    const a = await v1('runAggregationQuery', {
      structuredAggregationQuery: { ...query({ where }), aggregations: [{ alias: 'n', count: {} }] },
    });
    expect(a.status).toBe(400);
  });

  it.each(Object.entries(AMBIGUOUS))('gRPC runQuery with %s ends INVALID_ARGUMENT', async (_, where) => {
    const r = await grpcP1.runQuery({ parent: DOCS, ...query({ where }) });
    expect([r.code, r.messages.filter((m) => m.document).length]).toEqual([3, 0]);
  });

  it.each(Object.entries(AMBIGUOUS))('a gRPC Listen target with %s is removed with INVALID_ARGUMENT', async (_, where) => {
    const m = await grpcP1.listenUntil(
      { database: DB, addTarget: { targetId: 2, query: { parent: DOCS, ...query({ where }) } } },
      (x) => x.targetChange !== undefined || x.documentChange !== undefined,
    );
    expect(m).toMatchObject({ targetChange: { targetChangeType: 'REMOVE', targetIds: [2], cause: { code: 3 } } });
  });

  it('a WebChannel Listen target with an ambiguous filter is removed with INVALID_ARGUMENT', async () => {
    const add = { database: DB, addTarget: { targetId: 2, query: { parent: DOCS, ...query({ where: AMBIGUOUS.emptyComposite }) } } };
    const form = new URLSearchParams({
      headers: `Authorization:${P1}\r\n`,
      count: '1',
      ofs: '0',
      req0___data__: JSON.stringify(add),
    });
    const channel = `/google.firestore.v1.Firestore/Listen/channel?database=${encodeURIComponent(DB)}&VER=8&RID=1`;
    const hs = await fetch(`http://${target.host}${channel}`, { method: 'POST', body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(hs.status).toBe(200);
    const sid = hs.headers.get('X-HTTP-Session-Id') ?? '';
    // A long-poll backchannel answers with the first batch the session has.
    const back = await fetch(`http://${target.host}${channel}&SID=${sid}&RID=rpc&CI=1&AID=0&TYPE=xmlhttp`);
    const frame = await back.text();
    expect(frame).toContain('"targetChangeType":"REMOVE"');
    expect(frame).toContain('"code":3');
    expect(frame).not.toContain('documentChange');
  });

  it('a Listen target naming both a query and documents is removed with INVALID_ARGUMENT', async () => {
    const m = await grpcP1.listenUntil(
      {
        database: DB,
        addTarget: { targetId: 3, query: { parent: DOCS, ...query({ where: eq('patientId', str('p1')) }) }, documents: { documents: [`${DOCS}/appointments/a2`] } },
      },
      (x) => x.targetChange !== undefined || x.documentChange !== undefined,
    );
    expect(m).toMatchObject({ targetChange: { targetChangeType: 'REMOVE', cause: { code: 3 } } });
  });

  it('a read naming two consistency selectors (transaction and readTime) is INVALID_ARGUMENT', async () => {
    const a = await v1('runQuery', { ...query({ where: eq('patientId', str('p1')) }), transaction: 'dGVzdA==', readTime: '2025-01-01T00:00:00Z' });
    expect(a.status).toBe(400);
  });

  it.each([
    ['update and delete', { update: { name: `${DOCS}/appointments/a1`, fields: {} }, delete: `${DOCS}/appointments/a2` }],
    ['a precondition with exists and updateTime', { delete: `${DOCS}/appointments/a9`, currentDocument: { exists: false, updateTime: '2025-01-01T00:00:00Z' } }],
    [
      'a transform with increment and maximum',
      { transform: { document: `${DOCS}/appointments/a1`, fieldTransforms: [{ fieldPath: 'n', increment: { integerValue: '1' }, maximum: { integerValue: '9' } }] } },
    ],
  ])('a write with %s is INVALID_ARGUMENT', async (_, write) => {
    expect((await commit([write])).status).toBe(400);
  });

  it('an aggregation with count and sum at once is INVALID_ARGUMENT', async () => {
    const a = await v1('runAggregationQuery', {
      structuredAggregationQuery: { ...query({ where: eq('patientId', str('p1')) }), aggregations: [{ count: {}, sum: { field: { fieldPath: 'x' } } }] },
    });
    expect(a.status).toBe(400);
  });
});

describe('item 8: cursors must fit the query order', () => {
  const byName = (startAt: unknown) => query({ orderBy: [{ field: { fieldPath: 'patientId' } }], startAt });

  it('a cursor on patientId then __name__ still pages', async () => {
    const a = await v1('runQuery', byName({ values: [str('p1'), { referenceValue: `${DOCS}/appointments/a1` }], before: false }), OWNER);
    expect([a.status, names(a)]).toEqual([200, ['a2']]);
  });

  it.each([
    ['more values than the order has fields', { values: [str('p1'), { referenceValue: `${DOCS}/appointments/a1` }, str('extra')] }],
    ['a string where __name__ needs a reference', { values: [str('p1'), str('a1')] }],
    ['a reference to another collection', { values: [str('p1'), { referenceValue: `${DOCS}/secrets/s1` }] }],
    ['a reference to another project', { values: [str('p1'), { referenceValue: 'projects/other/databases/(default)/documents/appointments/a1' }] }],
    ['no values at all', { values: [] }],
  ])('a cursor with %s is INVALID_ARGUMENT', async (_, startAt) => {
    expect((await v1('runQuery', byName(startAt), OWNER)).status).toBe(400);
  });

  it('a Listen target whose cursor does not fit its order is refused when added', async () => {
    const m = await grpcP1.listenUntil(
      {
        database: DB,
        addTarget: {
          targetId: 4,
          query: { parent: DOCS, ...query({ where: eq('patientId', str('p1')), startAt: { values: [str('a'), str('b'), str('c')] } }) },
        },
      },
      (x) => x.targetChange !== undefined,
    );
    expect(m).toMatchObject({ targetChange: { targetChangeType: 'REMOVE', targetIds: [4], cause: { code: 3 } } });
  });
});

describe('item 9: one value, one type', () => {
  const twoTyped = { stringValue: 'a', mapValue: { fields: { isAdmin: { booleanValue: true } } } };
  const update = (fields: Record<string, unknown>) => ({ update: { name: `${DOCS}/appointments/new1`, fields: { patientId: str('p1'), ...fields } } });

  it.each([
    ['a field', { x: twoTyped }],
    ['a map entry', { x: { mapValue: { fields: { y: twoTyped } } } }],
    ['an array element', { x: { arrayValue: { values: [str('ok'), twoTyped] } } }],
    ['an unknown type', { x: { fooValue: 1 } }],
    ['no type', { x: {} }],
    ['a double that is not a number', { x: { doubleValue: 'abc' } }],
    ['a reference that is not a document name', { x: { referenceValue: 'appointments/a1' } }],
  ])('a write carrying a two-typed or malformed value in %s is INVALID_ARGUMENT (REST)', async (_, fields) => {
    const a = await commit([update(fields)]);
    expect(a.status).toBe(400);
    expect((await http('GET', `/v1/${DOCS}/appointments/new1`, undefined, OWNER)).status).toBe(404);
  });

  it('a two-typed value is INVALID_ARGUMENT over gRPC too', async () => {
    const r = await grpcP1.commit({ database: DB, writes: [update({ x: twoTyped })] });
    expect(r.code).toBe(3);
    expect((await http('GET', `/v1/${DOCS}/appointments/new1`, undefined, OWNER)).status).toBe(404);
  });

  it.each([
    ['a filter value', query({ where: eq('patientId', twoTyped) })],
    ['an in list', query({ where: { fieldFilter: { field: { fieldPath: 'patientId' }, op: 'IN', value: { arrayValue: { values: [twoTyped] } } } } })],
    ['a cursor', query({ orderBy: [{ field: { fieldPath: 'patientId' } }], startAt: { values: [twoTyped] } })],
  ])('%s carrying two types is INVALID_ARGUMENT', async (_, q) => {
    expect((await v1('runQuery', q, OWNER)).status).toBe(400);
  });

  it('a transform operand carrying two types is INVALID_ARGUMENT', async () => {
    const a = await commit([{ ...update({}), updateTransforms: [{ fieldPath: 'n', increment: { integerValue: '1', stringValue: 'x' } }] }]);
    expect(a.status).toBe(400);
  });
});

describe('item 12: WebChannel forward bodies are bounded by what they hold', () => {
  const channel = `/google.firestore.v1.Firestore/Listen/channel?database=${encodeURIComponent(DB)}&VER=8&RID=1`;

  it.each(['count=100000000&ofs=0', 'count=-1&ofs=0', 'count=1&ofs=x', 'count=1e9'])('a handshake body %s is 400', async (body) => {
    const r = await fetch(`http://${target.host}${channel}`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(400);
    await r.text();
  });
});

describe('item 14: rules are judged before preconditions, and a verify is judged as a read', () => {
  const existing = `${DOCS}/secrets/s1`;
  const missing = `${DOCS}/secrets/nope`;

  it.each([
    ['verify exists', (n: string) => ({ verify: n, currentDocument: { exists: true } })],
    ['verify missing', (n: string) => ({ verify: n, currentDocument: { exists: false } })],
    ['update of an existing document', (n: string) => ({ update: { name: n, fields: { x: str('z') } }, currentDocument: { exists: true } })],
    ['create', (n: string) => ({ update: { name: n, fields: { x: str('z') } }, currentDocument: { exists: false } })],
    ['delete of an existing document', (n: string) => ({ delete: n, currentDocument: { exists: true } })],
    ['delete', (n: string) => ({ delete: n })],
  ])('a denied %s answers PERMISSION_DENIED whether or not the document exists', async (_, write) => {
    const a = await commit([write(existing)]);
    const b = await commit([write(missing)]);
    expect([a.status, b.status]).toEqual([403, 403]);
  });

  it('a caller the rules allow still hears the precondition (NOT_FOUND, ALREADY_EXISTS)', async () => {
    const upd = await commit([{ update: { name: `${DOCS}/appointments/a9`, fields: { patientId: str('p1') } }, currentDocument: { exists: true } }]);
    expect(upd.status).toBe(404);
    const create = await commit([
      { update: { name: `${DOCS}/appointments/a1`, fields: { patientId: str('p1'), reason: str('flu') } }, currentDocument: { exists: false } },
    ]);
    expect(create.status).toBe(409);
  });

  it('a verify of a document the caller may read passes', async () => {
    expect((await commit([{ verify: `${DOCS}/appointments/a1`, currentDocument: { exists: true } }])).status).toBe(200);
  });
});

describe('item 16: reserved field names and malformed requests', () => {
  const patch = (fieldPaths: string[], fieldsJson = '{"note":{"stringValue":"x"}}') =>
    `{"writes":[{"update":{"name":"${DOCS}/appointments/a1","fields":${fieldsJson}},"updateMask":{"fieldPaths":${JSON.stringify(fieldPaths)}}}]}`;

  it('an allowed update of the note passes (the baseline)', async () => {
    expect((await v1('commit', patch(['note']))).status).toBe(200);
  });

  it.each([
    ['__proto__', '{"__proto__":{"mapValue":{"fields":{"patientId":{"stringValue":"p2"}}}}}'],
    ['__proto__.patientId', '{"__proto__":{"mapValue":{"fields":{"patientId":{"stringValue":"p2"}}}}}'],
    ['`__x__`', '{"__x__":{"stringValue":"x"}}'],
    ['note.__name__', '{"note":{"mapValue":{"fields":{}}}}'],
    ['__name__', '{}'],
  ])('an update mask naming %s is INVALID_ARGUMENT, so it can never pass affectedKeys().hasOnly()', async (path, fields) => {
    expect((await v1('commit', patch([path], fields))).status).toBe(400);
    const after = await http('GET', `/v1/${DOCS}/appointments/a1`, undefined, OWNER);
    expect(after.text).toContain('"patientId":{"stringValue":"p1"}');
  });

  it.each([
    ['a document field', '{"patientId":{"stringValue":"p1"},"__proto__":{"stringValue":"x"}}'],
    ['a nested map key', '{"patientId":{"stringValue":"p1"},"m":{"mapValue":{"fields":{"__secret__":{"stringValue":"x"}}}}}'],
  ])('a reserved name as %s is INVALID_ARGUMENT', async (_, fields) => {
    const body = `{"writes":[{"update":{"name":"${DOCS}/appointments/r1","fields":${fields}}}]}`;
    expect((await v1('commit', body)).status).toBe(400);
  });

  it('a transform on a reserved field path is INVALID_ARGUMENT', async () => {
    const a = await commit([{ transform: { document: `${DOCS}/appointments/a1`, fieldTransforms: [{ fieldPath: '__proto__.x', setToServerValue: 'REQUEST_TIME' }] } }]);
    expect(a.status).toBe(400);
  });

  it.each([
    ['a filter', query({ where: eq('__proto__', str('x')) })],
    ['an orderBy', query({ orderBy: [{ field: { fieldPath: '__foo__' } }] })],
    ['a select', query({ select: { fields: [{ fieldPath: 'a.__proto__' }] } })],
  ])('a reserved name in %s is INVALID_ARGUMENT', async (_, q) => {
    expect((await v1('runQuery', q, OWNER)).status).toBe(400);
  });

  it('a mask naming a field called constructor (absent) removes nothing and does not crash', async () => {
    const a = await v1('commit', `{"writes":[{"update":{"name":"${DOCS}/appointments/c1","fields":{}},"updateMask":{"fieldPaths":["constructor","toString"]}}]}`, OWNER);
    expect(a.status).toBe(200);
  });

  it.each(['null', '[]', '5', '"x"'])('a commit body %s is INVALID_ARGUMENT (400), not a 500', async (body) => {
    const a = await v1('commit', body);
    expect([a.status, a.text.includes('INVALID_ARGUMENT')]).toEqual([400, true]);
  });

  it.each(['null', '[]'])('a rules body %s is 400 and the rules in force stay', async (body) => {
    expect((await http('PUT', `/emulator/v1/projects/${PROJECT}:securityRules`, body)).status).toBe(400);
    expect(names(await v1('runQuery', query({ where: eq('patientId', str('p1')) })))).toEqual(['a1']);
  });

  it('a REST PATCH or create the rules allow without a read answers with what was written, never the rest of the document', async () => {
    const box = `${DOCS}/dropbox/b1`;
    expect((await commit([{ update: { name: box, fields: { owner: str('clinic'), secret: str('diagnosis') } } }], OWNER)).status).toBe(200);
    const patched = await http('PATCH', `/v1/${box}?updateMask.fieldPaths=note`, { fields: { note: str('hi') } });
    expect(patched.status).toBe(200);
    expect(patched.text).not.toContain('diagnosis');
    expect(patched.body).toMatchObject({ name: box, fields: { note: str('hi') } });
    const created = await http('POST', `/v1/${DOCS}/dropbox?documentId=b2`, { fields: { note: str('new') } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: `${DOCS}/dropbox/b2`, fields: { note: str('new') } });
  });

  it('a runQuery body null is 400', async () => {
    expect((await v1('runQuery', 'null')).status).toBe(400);
  });

  it.each([`/v1/${DOCS}/appointments/%zz`, `/v1/${DOCS}/appointments/%`, `/emulator/v1/projects/%E0%A4%A/databases/(default)/documents`])(
    'a broken percent escape in %s is 400',
    async (path) => {
      const a = await http(path.startsWith('/emulator') ? 'DELETE' : 'GET', path, undefined, OWNER);
      expect(a.status).toBe(400);
    },
  );

  it('a 17 MiB body answers 413 with a clear message, without resetting the connection', async () => {
    const big = JSON.stringify({ writes: [{ update: { name: `${DOCS}/appointments/big`, fields: { x: str('a'.repeat(17 * 1024 * 1024)) } } }] });
    const a = await v1('commit', big, OWNER);
    expect(a.status).toBe(413);
    expect(a.text).toContain('16 MiB');
  });
});
