/**
 * One Listen target that throws while a commit is fanned out fails alone. The throwing matcher here comes from a
 * stored document whose value has no type (as a hand-edited or older snapshot could hold): validation keeps such
 * values out of commits, so this is the fan-out's own guard, whatever the reason a target throws.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from './engine';
import { writeSnapshot } from './persistence';
import type { Document, Engine, ListenResponse, Target } from './types';

const DB = 'projects/demo-listen/databases/(default)';
const admin = { admin: true, auth: null };
const name = (id: string) => `${DB}/documents/things/${id}`;
let engine: (Engine & { close(): Promise<void> }) | undefined;
afterEach(async () => engine?.close());

/** Opens a stream with one target and resolves once the target is CURRENT (or removed). */
function watch(e: Engine, target: Target): Promise<ListenResponse[]> {
  const got: ListenResponse[] = [];
  return new Promise((resolve) => {
    e.listen(admin, DB, (r) => {
      got.push(r);
      const type = r.targetChange?.targetChangeType;
      if (type === 'CURRENT' || type === 'REMOVE') resolve(got);
    }).addTarget(target);
  });
}

describe('listen fan-out isolation', () => {
  it('a target whose matcher throws on a commit is removed with the cause; the writer and the other targets are unaffected', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'listen-'));
    const t = '2026-01-01T00:00:00.000000Z';
    const corrupt = { name: name('bad'), fields: { n: {} }, createTime: t, updateTime: t } as unknown as Document;
    writeSnapshot(path.join(dir, 'firestore-snapshot.json'), [corrupt], 1n);
    engine = await createEngine({ dataDir: dir });
    const e = engine;
    // A one-document window holds the corrupt document (sorting one document compares nothing)...
    const windowed = await watch(e, { targetId: 1, query: { parent: `${DB}/documents`, structuredQuery: { from: [{ collectionId: 'things' }], orderBy: [{ field: { fieldPath: 'n' } }], limit: 1 } } });
    expect(windowed.some((r) => r.documentChange?.document.name === name('bad'))).toBe(true);
    const plain = await watch(e, { targetId: 2, query: { parent: `${DB}/documents`, structuredQuery: { from: [{ collectionId: 'things' }] } } });
    // ...so the next commit's comparison with it throws inside that target's evaluation.
    const r = await e.commit(admin, DB, { writes: [{ update: { name: name('good'), fields: { n: { integerValue: '1' } } } }] });
    expect(r.commitTime).toBeTruthy();
    expect(plain.some((m) => m.documentChange?.document.name === name('good'))).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    const removed = windowed.find((m) => m.targetChange?.targetChangeType === 'REMOVE');
    expect(removed?.targetChange).toMatchObject({ targetIds: [1], cause: { code: 3 } });
    // The failed target is gone: later commits reach the others and nothing more reaches it.
    const before = windowed.length;
    await e.commit(admin, DB, { writes: [{ update: { name: name('later'), fields: { n: { integerValue: '2' } } } }] });
    expect(plain.some((m) => m.documentChange?.document.name === name('later'))).toBe(true);
    expect(windowed.length).toBe(before);
  });
});
