import { mkdtempSync, readFileSync, appendFileSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from './engine';
import { FirestoreError, type CommitEvent, type ListenResponse } from './types';

const DB = 'projects/demo-p/databases/(default)';
const admin = { admin: true, auth: null };
const name = (id: string) => `${DB}/documents/things/${id}`;

describe('persistence', () => {
  it('keeps every acknowledged commit across a restart, doubles like NaN included', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-'));
    const a = await createEngine({ dataDir: dir });
    await a.commit(admin, DB, { writes: [{ update: { name: name('1'), fields: { n: { doubleValue: Number.NaN }, s: { stringValue: 'ñ' } } } }] });
    await a.commit(admin, DB, { writes: [{ update: { name: name('2'), fields: { n: { integerValue: '2' } } } }] });
    await a.commit(admin, DB, { writes: [{ delete: name('2') }] });
    // No close(): a crash. The log alone must bring the data back.
    const b = await createEngine({ dataDir: dir });
    const got = await b.batchGet(admin, DB, { documents: [name('1'), name('2')] });
    expect(got[0]?.found?.fields.s).toEqual({ stringValue: 'ñ' });
    expect(Number.isNaN((got[0]?.found?.fields.n as { doubleValue: number }).doubleValue)).toBe(true);
    expect(got[1]?.missing).toBe(name('2'));
    await b.close();
    // After a clean close the snapshot holds everything and the log is empty.
    expect(readFileSync(path.join(dir, 'firestore-log.jsonl'), 'utf8')).toBe('');
    const c = await createEngine({ dataDir: dir });
    expect(c.size()).toBe(1);
    await c.close();
  });

  it('ignores a torn last log line and keeps what came before it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-'));
    const a = await createEngine({ dataDir: dir });
    await a.commit(admin, DB, { writes: [{ update: { name: name('x'), fields: {} } }] });
    appendFileSync(path.join(dir, 'firestore-log.jsonl'), '{"v":"99","changes":[{"na');
    const b = await createEngine({ dataDir: dir });
    expect(b.size()).toBe(1);
    // Commit times keep growing after the restart.
    const r1 = await b.commit(admin, DB, { writes: [{ update: { name: name('y'), fields: {} } }] });
    expect(r1.commitTime > (await b.getDocument(admin, name('x'))).updateTime).toBe(true);
    // A second crash: the commit made after the torn line must survive too.
    const c = await createEngine({ dataDir: dir });
    expect(c.size()).toBe(2);
    await c.close();
  });

  it('a commit the log cannot take did not happen: refused, not applied, not dispatched', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-'));
    const a = await createEngine({ dataDir: dir });
    const heard: CommitEvent[] = [];
    a.onCommit((e) => heard.push(e));
    await a.commit(admin, DB, { writes: [{ update: { name: name('kept'), fields: {} } }] });
    // The log's place is taken by a folder: every append now fails.
    rmSync(path.join(dir, 'firestore-log.jsonl'));
    mkdirSync(path.join(dir, 'firestore-log.jsonl'));
    const refused = a.commit(admin, DB, { writes: [{ update: { name: name('lost'), fields: {} } }] });
    await expect(refused).rejects.toBeInstanceOf(FirestoreError);
    await expect(refused).rejects.toMatchObject({ code: 13 });
    expect(a.peek(name('lost'))).toBeNull();
    expect(heard.map((e) => e.changes.map((c) => c.name))).toEqual([[name('kept')]]);
    rmSync(path.join(dir, 'firestore-log.jsonl'), { recursive: true });
  });

  it('a listen stream whose transport throws fails alone: the commit is logged, dispatched and acknowledged', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-'));
    const a = await createEngine({ dataDir: dir });
    const heard: string[] = [];
    a.onCommit((e) => heard.push(...e.changes.map((c) => c.name)));
    const target = { targetId: 1, query: { parent: `${DB}/documents`, structuredQuery: { from: [{ collectionId: 'things' }] } } };
    const open = (send: (r: ListenResponse) => void) =>
      new Promise<void>((resolve) => {
        a.listen(admin, DB, (r) => {
          send(r);
          if (r.targetChange?.targetChangeType === 'CURRENT') resolve();
        }).addTarget(target);
      });
    // A stream whose transport broke: every document sent to it throws.
    await open((r) => {
      if (r.documentChange) throw new Error('stream destroyed');
    });
    const good: string[] = [];
    await open((r) => {
      if (r.documentChange) good.push(r.documentChange.document.name);
    });
    await a.commit(admin, DB, { writes: [{ update: { name: name('n1'), fields: {} } }] });
    expect(good).toEqual([name('n1')]);
    expect(heard).toEqual([name('n1')]);
    // A crash: the log alone brings the commit back.
    const b = await createEngine({ dataDir: dir });
    expect(b.peek(name('n1'))).not.toBeNull();
    await b.close();
  });
});
