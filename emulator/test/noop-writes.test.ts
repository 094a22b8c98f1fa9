/**
 * A write that leaves a document as it was keeps the document's update time, as Firestore does: WriteResult's
 * update_time is "the previous update_time" when "the write did not actually change the document". A precondition on
 * that time then still holds, and nothing moved for a reader to see. Raw REST for the masks an SDK would not build,
 * firebase-admin for the sets an app makes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { FieldValue, Timestamp, getFirestore, type Firestore } from 'firebase-admin/firestore';
import { startTarget, type Target } from './support/harness';

const PROJECT = 'demo-noop-writes';
const DOCS = `projects/${PROJECT}/databases/(default)/documents`;

let target: Target;
let app: App;
let db: Firestore;

interface RestDocument {
  name: string;
  fields?: Record<string, unknown>;
  updateTime: string;
  createTime: string;
}

interface CommitAnswer {
  writeResults: { updateTime?: string }[];
  commitTime: string;
}

/**
 * A REST request as owner (a string body is sent as is: JSON.stringify cannot write -0); refuses anything but 200, so
 * a test reads only answers the engine accepted.
 */
async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`http://${target.host}/v1/${path}`, {
    method,
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

const commit = (writes: unknown[]) => rest<CommitAnswer>('POST', `${DOCS}:commit`, { writes });
const get = (path: string) => rest<RestDocument>('GET', `${DOCS}/${path}`);
const masked = (path: string, fieldPaths: string[], fields: Record<string, unknown> = {}) => ({
  update: { name: `${DOCS}/${path}`, fields },
  updateMask: { fieldPaths },
});

beforeAll(async () => {
  target = await startTarget({ projectId: PROJECT });
  process.env.FIRESTORE_EMULATOR_HOST = target.host;
  app = initializeApp({ projectId: PROJECT }, 'noop-writes');
  db = getFirestore(app);
});
afterAll(async () => {
  await deleteApp(app);
  await target.close();
});
beforeEach(async () => {
  await target.clear(PROJECT);
});

describe('a write that changes nothing', () => {
  it.each([
    ['a mask naming an absent inherited name (constructor.prototype)', ['constructor.prototype']],
    ['a mask naming an absent field', ['absent']],
    ['a mask naming absent nested fields', ['a.b', 'toString']],
    ['an empty mask', []],
  ])('%s keeps the update time, and the document', async (_, fieldPaths) => {
    const created = await commit([{ update: { name: `${DOCS}/notes/n1`, fields: { x: { integerValue: '1' } } } }]);
    const before = await get('notes/n1');
    expect(before.updateTime).toBe(created.writeResults[0]?.updateTime);

    const answer = await commit([masked('notes/n1', fieldPaths)]);
    expect(answer.writeResults[0]?.updateTime).toBe(before.updateTime);
    expect(await get('notes/n1')).toEqual(before);
  });

  it('a mask writing the value a field already holds keeps the update time', async () => {
    await commit([{ update: { name: `${DOCS}/notes/n1`, fields: { x: { integerValue: '1' }, m: { mapValue: { fields: { k: { stringValue: 'v' } } } } } } }]);
    const before = await get('notes/n1');
    const answer = await commit([masked('notes/n1', ['x', 'm.k'], { x: { integerValue: '1' }, m: { mapValue: { fields: { k: { stringValue: 'v' } } } } })]);
    expect(answer.writeResults[0]?.updateTime).toBe(before.updateTime);
    expect((await get('notes/n1')).updateTime).toBe(before.updateTime);
  });

  it('a set of the same data keeps the update time, so a precondition on it still holds', async () => {
    const ref = db.doc('notes/same');
    const data = { title: 'Consulta', n: 3, at: Timestamp.fromMillis(1_700_000_000_123), tags: ['a', 'b'], nested: { ok: true, nil: null } };
    const first = await ref.set(data);
    const again = await ref.set(data);
    expect(again.writeTime.isEqual(first.writeTime)).toBe(true);
    expect((await ref.get()).updateTime?.isEqual(first.writeTime)).toBe(true);
    // An optimistic update on the time the client was told must not fail for a change that never happened.
    await ref.update({ n: 4 }, { lastUpdateTime: again.writeTime });
    expect((await ref.get()).get('n')).toBe(4);
  });

  it('an update to the values the document holds keeps the update time', async () => {
    const ref = db.doc('notes/upd');
    const first = await ref.set({ a: 1, b: 'x' });
    const again = await ref.update({ a: 1 });
    expect(again.writeTime.isEqual(first.writeTime)).toBe(true);
  });

  it('a write of the same data in a batch with a real change keeps its own time while the other moves', async () => {
    const same = db.doc('notes/b1');
    const other = db.doc('notes/b2');
    const first = await same.set({ v: 1 });
    await other.set({ v: 1 });
    const results = await db.batch().set(same, { v: 1 }).set(other, { v: 2 }).commit();
    expect(results[0]?.writeTime.isEqual(first.writeTime)).toBe(true);
    expect(results[1]?.writeTime.isEqual(first.writeTime)).toBe(false);
  });
});

describe('a write that changes something still moves the update time', () => {
  it.each([
    ['a different value', { v: 2 }],
    ['1.5 for 1 (another number)', { v: 1.5 }],
    ['the same value as another type ("1" for 1)', { v: '1' }],
    ['one field more', { v: 1, w: null }],
    ['one field fewer', {}],
  ])('a set of %s', async (_, data) => {
    const ref = db.doc('notes/changed');
    const first = await ref.set({ v: 1 });
    const next = await ref.set(data);
    expect(next.writeTime.isEqual(first.writeTime)).toBe(false);
    expect((await ref.get()).data()).toEqual(data);
  });

  it('-0 for 0 and 1.0 for 1 are other stored values, though they compare equal', async () => {
    const write = (z: string, i: string) =>
      rest<CommitAnswer>('POST', `${DOCS}:commit`, `{"writes":[{"update":{"name":"${DOCS}/notes/z","fields":{"z":{"doubleValue":${z}},"i":${i}}}}]}`);
    const r1 = await write('0', '{"integerValue":"1"}');
    const r2 = await write('-0', '{"integerValue":"1"}');
    const r3 = await write('-0', '{"doubleValue":1}');
    const times = [r1, r2, r3].map((r) => r.writeResults[0]?.updateTime);
    expect(new Set(times).size).toBe(3);
  });

  it('a server timestamp is a change every time', async () => {
    const ref = db.doc('notes/ts');
    const first = await ref.set({ at: FieldValue.serverTimestamp() });
    const next = await ref.set({ at: FieldValue.serverTimestamp() });
    expect(next.writeTime.isEqual(first.writeTime)).toBe(false);
  });

  it('creating a document with no fields is a change', async () => {
    const ref = db.doc('notes/empty');
    const created = await ref.create({});
    expect((await ref.get()).updateTime?.isEqual(created.writeTime)).toBe(true);
  });
});
