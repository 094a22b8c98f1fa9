import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../firestore/engine';
import type { Engine } from '../firestore/types';
import { matchesPattern, startTriggerDispatcher, triggersFromBackends, type TriggerDispatcher } from './dispatcher';

describe('matchesPattern', () => {
  it.each([
    ['users/{uid}', 'users/u1', true],
    ['users/{uid}', 'users/u1/notes/n1', false],
    ['users/{uid}/notes/{id}', 'users/u1/notes/n1', true],
    ['users/fixed', 'users/other', false],
    ['clinics/{c}/{rest=**}', 'clinics/c1/members/m1', true],
  ])('%s ~ %s → %s', (pattern, path, want) => {
    expect(matchesPattern(pattern, path)).toBe(want);
  });
});

describe('triggersFromBackends', () => {
  it('keeps Firestore event triggers with their kind, database and pattern', () => {
    const t = triggersFromBackends({
      backends: [
        {
          functionTriggers: [
            { id: 'us-central1-a', eventTrigger: { eventType: 'google.cloud.firestore.document.v1.updated.withAuthContext', eventFilters: { database: '(default)' }, eventFilterPathPatterns: { document: 'x/{id}' } } },
            { id: 'us-central1-http' },
            { id: 'us-central1-pubsub', eventTrigger: { eventType: 'google.cloud.pubsub.topic.v1.messagePublished' } },
          ],
        },
      ],
    });
    expect(t).toEqual([{ id: 'us-central1-a', kind: 'updated', eventType: 'google.cloud.firestore.document.v1.updated.withAuthContext', database: '(default)', pattern: 'x/{id}' }]);
  });
});

/** A local HTTP server standing in for the Functions emulator: lists one trigger and records deliveries. */
async function fakeFunctions(failFirst = 0, answerAfterMs = 0) {
  const received: { path: string; body: { type: string; document: string; data: { value?: { fields: { n?: { integerValue: string } } } } } }[] = [];
  let failures = failFirst;
  const load = { inFlight: 0, max: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/backends') {
        res.end(JSON.stringify({ backends: [{ functionTriggers: [{ id: 'r-onWrite', eventTrigger: { eventType: 'google.cloud.firestore.document.v1.written', eventFilters: { database: '(default)' }, eventFilterPathPatterns: { document: 'docs/{id}' } } }] }] }));
        return;
      }
      if (req.url?.endsWith('/triggers/r-onWrite')) {
        res.statusCode = 404;
        res.end('Function r-onWrite does not exist, valid functions are: r-onWrite-3, r-onWrite-12');
        return;
      }
      if (failures > 0) {
        failures--;
        res.statusCode = 503;
        res.end();
        return;
      }
      load.inFlight++;
      load.max = Math.max(load.max, load.inFlight);
      setTimeout(() => {
        load.inFlight--;
        received.push({ path: req.url ?? '', body: JSON.parse(body) as (typeof received)[number]['body'] });
        res.end('{}');
      }, answerAfterMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, received, load, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const DB = 'projects/demo-t/databases/(default)';
const admin = { admin: true, auth: null };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(failFirst = 0, answerAfterMs = 0): Promise<{ engine: Engine; dispatcher: TriggerDispatcher; fn: Awaited<ReturnType<typeof fakeFunctions>> }> {
  const engine = await createEngine();
  const fn = await fakeFunctions(failFirst, answerAfterMs);
  const dispatcher = startTriggerDispatcher(engine, { functionsUrl: fn.url, projectId: 'demo-t', maxAttempts: 10 });
  await dispatcher.refresh();
  cleanup.push(async () => {
    dispatcher.close();
    await fn.close();
    await engine.close();
  });
  return { engine, dispatcher, fn };
}

describe('trigger delivery', () => {
  it('delivers 100 updates of one document in commit order, to the newest trigger generation', async () => {
    const { engine, dispatcher, fn } = await setup();
    for (let n = 0; n < 100; n++) {
      await engine.commit(admin, DB, { writes: [{ update: { name: `${DB}/documents/docs/a`, fields: { n: { integerValue: String(n) } } } }] });
    }
    await engine.commit(admin, DB, { writes: [{ update: { name: `${DB}/documents/other/x`, fields: {} } }] });
    await dispatcher.whenIdle();
    expect(fn.received.map((r) => Number(r.body.data.value?.fields.n?.integerValue))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Set(fn.received.map((r) => r.path))).toEqual(new Set(['/functions/projects/demo-t/triggers/r-onWrite-12']));
    expect(fn.received[0]?.body).toMatchObject({ type: 'google.cloud.firestore.document.v1.written', document: 'docs/a' });
  });

  it('retries while the Functions emulator is unavailable, losing nothing', async () => {
    const { engine, dispatcher, fn } = await setup(3);
    await engine.commit(admin, DB, { writes: [{ update: { name: `${DB}/documents/docs/b`, fields: { n: { integerValue: '7' } } } }] });
    await dispatcher.whenIdle();
    expect(fn.received).toHaveLength(1);
    expect(fn.received[0]?.body.data.value?.fields.n?.integerValue).toBe('7');
  });

  it('keeps at most 3 invocations in flight during a burst of 40 documents, and delivers every one', async () => {
    const { engine, dispatcher, fn } = await setup(0, 15);
    const writes = Array.from({ length: 40 }, (_, n) => ({ update: { name: `${DB}/documents/docs/d${n}`, fields: { n: { integerValue: String(n) } } } }));
    await engine.commit(admin, DB, { writes });
    await dispatcher.whenIdle();
    expect(fn.received.map((r) => Number(r.body.data.value?.fields.n?.integerValue)).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(fn.load.max).toBe(3);
  });
});
