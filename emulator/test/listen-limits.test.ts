/**
 * What one client can make the engine hold through Listen (issue #12, hostile re-pass): anonymous WebChannel
 * handshakes each carrying 1,000 addTarget over a public collection, with no backchannel ever opened, once grew the
 * engine by hundreds of MiB and made one commit's fan-out block the event loop for seconds. Driven with raw HTTP as the
 * flood was; what the engine holds is read from its own counts (sessions, targets, unacknowledged bytes), never RSS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/server';
import { DEFAULT_CHANNEL_LIMITS, MAX_MAPS_PER_REQUEST } from '../src/http/webchannel';
import { DEFAULT_LISTEN_LIMITS } from '../src/firestore/listen';
import { rawGrpc, unsignedToken } from './support/raw-grpc';

const PROJECT = 'demo-limits';
const DB = `projects/${PROJECT}/databases/(default)`;
const DOCS = `${DB}/documents`;
const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /listings/{id} { allow read: if true; }
    match /big/{id} { allow read: if true; }
    match /notes/{id} { allow read, write: if request.auth != null; }
  }
}
`;
const OWNER = 'Bearer owner';

let emu: RunningEmulator;
let base: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, projectId: PROJECT, rules: { source: RULES } });
  base = `http://${emu.address}`;
  // 22 small public documents, as searchListings held in the hostile pass.
  await commit(OWNER, Array.from({ length: 22 }, (_, i) => update(`listings/l${i}`, 'x'.repeat(100))));
});

afterAll(async () => emu?.close());

beforeEach(async () => {
  // Ends every session of the previous test (the terminate a browser sends), so each test starts from none.
  await settle(() => emu.webChannelStats().sessions === 0, async () => undefined);
});

function update(path: string, text: string): unknown {
  return { update: { name: `${DOCS}/${path}`, fields: { text: { stringValue: text } } } };
}

async function commit(authorization: string, writes: unknown[]): Promise<Response> {
  return fetch(`${base}/v1/${DOCS}:commit`, { method: 'POST', headers: { authorization }, body: JSON.stringify({ writes }) });
}

const channel = (q: string) => `${base}/google.firestore.v1.Firestore/Listen/channel?VER=8&database=${encodeURIComponent(DB)}&${q}`;
const addTarget = (targetId: number, collectionId: string) => ({
  database: DB,
  addTarget: { targetId, query: { parent: DOCS, structuredQuery: { from: [{ collectionId }] } } },
});

/** A Listen handshake carrying `messages` as its first maps, optionally signed in through the `headers=` field. */
async function handshake(messages: unknown[], token?: string): Promise<{ status: number; sid: string; text: string }> {
  const headers = token ? `headers=${encodeURIComponent(`Authorization: Bearer ${token}\r\n`)}&` : '';
  const maps = messages.map((m, i) => `req${i}___data__=${encodeURIComponent(JSON.stringify(m))}`).join('&');
  const r = await fetch(channel('RID=1&CVER=22&t=1'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `${headers}count=${messages.length}&ofs=0&${maps}`,
  });
  return { status: r.status, sid: r.headers.get('x-http-session-id') ?? '', text: await r.text() };
}

/** One long-polling backchannel request (CI=1): everything queued for the session, then the response ends. */
async function poll(sid: string, aid = 0): Promise<string> {
  const r = await fetch(channel(`gsessionid=${sid}&SID=${sid}&RID=rpc&AID=${aid}&CI=1&TYPE=xmlhttp&t=1`));
  return r.text();
}

async function terminate(sid: string): Promise<void> {
  await fetch(channel(`gsessionid=${sid}&SID=${sid}&RID=2&TYPE=terminate`), { method: 'POST' });
}

/** Waits for the engine to work through what was queued, a bounded number of turns; `each` runs between turns. */
async function settle(done: () => boolean, each: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) {
    await each();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The `cause` codes of the REMOVE target changes in a backchannel body. */
function removeCauses(body: string): number[] {
  return [...body.matchAll(/"targetChangeType":"REMOVE","targetIds":\[\d+\],"cause":\{"code":(\d+)/g)].map((m) => Number(m[1]));
}

describe('an anonymous Listen flood over WebChannel', () => {
  it('is held to the per-client session cap and the per-stream target cap; others keep reading and writing', async () => {
    const { sessionsPerClient } = DEFAULT_CHANNEL_LIMITS;
    const { targetsPerStream } = DEFAULT_LISTEN_LIMITS;
    const flood = Array.from({ length: MAX_MAPS_PER_REQUEST }, (_, i) => addTarget(2 + i, 'listings'));
    const answers = [];
    for (let s = 0; s < sessionsPerClient + 4; s++) answers.push(await handshake(flood));

    // The first sessionsPerClient are opened; every later handshake of the same anonymous address is refused clearly.
    const opened = answers.filter((a) => a.status === 200);
    expect(opened).toHaveLength(sessionsPerClient);
    for (const refused of answers.slice(sessionsPerClient)) {
      expect(refused.status).toBe(429);
      expect(refused.text).toMatch(/RESOURCE_EXHAUSTED/);
      expect(refused.text).toContain(`At most ${sessionsPerClient} WebChannel sessions`);
    }

    // Each stream keeps at most targetsPerStream targets, whatever it asked for.
    await settle(() => emu.webChannelStats().targets === sessionsPerClient * targetsPerStream, async () => undefined);
    const held = emu.webChannelStats();
    expect(held.sessions).toBe(sessionsPerClient);
    expect(held.targets).toBe(sessionsPerClient * targetsPerStream);
    expect(held.outboxBytes).toBeLessThanOrEqual(DEFAULT_CHANNEL_LIMITS.outboxBytesTotal);

    // A signed-in user is another client: its handshake succeeds, and so do reads and commits of others.
    const token = unsignedToken('u1', PROJECT);
    const mine = await handshake([addTarget(2, 'notes')], token);
    expect(mine.status).toBe(200);
    expect((await commit(`Bearer ${token}`, [update('notes/n1', 'still writable')])).status).toBe(200);
    expect((await fetch(`${base}/v1/${DOCS}/listings/l1`)).status).toBe(200);
    // One commit to the flooded collection reaches the flood's targets without failing its writer.
    expect((await commit(OWNER, [update('listings/l0', 'changed')])).status).toBe(200);

    // The flooding streams were told why their targets beyond the cap were refused.
    const first = opened[0];
    if (!first) throw new Error('no session opened');
    const causes = removeCauses(await poll(first.sid));
    expect(causes).toHaveLength(MAX_MAPS_PER_REQUEST - targetsPerStream);
    expect(new Set(causes)).toEqual(new Set([8]));

    for (const a of [...opened, mine]) await terminate(a.sid);
    expect(emu.webChannelStats()).toEqual({ sessions: 0, targets: 0, outboxBytes: 0 });
  });

  it('closes a session that keeps too many unacknowledged bytes, removes its targets and tells its client', async () => {
    // 20 documents of 200 KB: each target's initial result is 4 MB, so a few targets pass the per-session bound.
    for (let i = 0; i < 20; i++) expect((await commit(OWNER, [update(`big/b${i}`, 'y'.repeat(200_000))])).status).toBe(200);
    const targets = Array.from({ length: 40 }, (_, i) => addTarget(2 + i, 'big'));
    const { sid, status } = await handshake(targets);
    expect(status).toBe(200);
    await settle(() => emu.webChannelStats().sessions === 0, async () => undefined);
    expect(emu.webChannelStats()).toEqual({ sessions: 0, targets: 0, outboxBytes: 0 });
    // Its client's next backchannel hears RESOURCE_EXHAUSTED as a stream error, once; after that the session is unknown.
    const told = await poll(sid);
    expect(told).toMatch(/"error":\{"code":8,"message":"This WebChannel session kept more than/);
    const r = await fetch(channel(`gsessionid=${sid}&SID=${sid}&RID=rpc&AID=0&CI=1&TYPE=xmlhttp&t=2`));
    expect([r.status, await r.text()]).toEqual([400, 'Unknown SID']);
  });
});

describe('the per-stream target cap on gRPC', () => {
  it('refuses the target past the cap with RESOURCE_EXHAUSTED and keeps the stream and its other targets', async () => {
    const client = rawGrpc(emu.address, `Bearer ${unsignedToken('g1', PROJECT)}`);
    const stream = client.listen();
    try {
      const cap = DEFAULT_LISTEN_LIMITS.targetsPerStream;
      for (let i = 0; i <= cap; i++) stream.send(addTarget(2 + i, 'listings'));
      const refused = await stream.until((m) => m.targetChange?.targetChangeType === 'REMOVE');
      expect(refused.targetChange).toMatchObject({ targetIds: [2 + cap], cause: { code: 8 } });
      // Removing one makes room for another.
      stream.send({ database: DB, removeTarget: 2 });
      stream.send(addTarget(5000, 'listings'));
      const added = await stream.until((m) => m.targetChange?.targetChangeType === 'CURRENT' && m.targetChange.targetIds?.[0] === 5000);
      expect(added.targetChange?.targetIds).toEqual([5000]);
    } finally {
      stream.close();
      client.close();
    }
  });
});
