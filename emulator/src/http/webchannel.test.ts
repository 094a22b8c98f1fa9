import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FirestoreError, type Engine, type ListenResponse, type ListenSession, type RequestContext } from '../firestore/types';
import { sendError } from './codec';
import { MAX_MAPS_PER_REQUEST, parseForward, WebChannelServer, type ChannelLimits } from './webchannel';

describe('parseForward', () => {
  it('reads the maps present, in index order, with ids from ofs', () => {
    const body = `count=3&ofs=7&req2___data__=${encodeURIComponent('{"b":1}')}&req0___data__=${encodeURIComponent('{"a":1}')}`;
    expect(parseForward(body).maps).toEqual([
      { id: 7, data: '{"a":1}' },
      { id: 9, data: '{"b":1}' },
    ]);
  });

  it('ignores maps at or past count', () => {
    expect(parseForward('count=1&ofs=0&req0___data__=x&req1___data__=y').maps).toEqual([{ id: 0, data: 'x' }]);
  });

  it(`accepts the client's largest batch (${MAX_MAPS_PER_REQUEST} maps) and refuses a larger count`, () => {
    expect(parseForward(`count=${MAX_MAPS_PER_REQUEST}&ofs=0&req999___data__=z`).maps).toEqual([{ id: 999, data: 'z' }]);
    expect(() => parseForward(`count=${MAX_MAPS_PER_REQUEST + 1}&ofs=0`)).toThrow(FirestoreError);
  });

  it.each(['count=100000000&ofs=0', 'count=-1', 'count=1.5', 'count=abc', 'count=1&ofs=-3', 'count=1e3'])('refuses %s', (body) => {
    expect(() => parseForward(body)).toThrow(FirestoreError);
  });

  it('has no maps when count is absent (a handshake may carry none)', () => {
    expect(parseForward('headers=x').maps).toEqual([]);
  });
});

/**
 * The session limits, on a WebChannelServer of their own with small limits and an engine whose Listen stream answers
 * every target with `size` bytes of payload (the ListenManager's own limits are tested in emulator/test).
 */
describe('WebChannel session limits', () => {
  const DB = 'projects/p/databases/(default)';
  let server: http.Server | undefined;
  let channels: WebChannelServer | undefined;
  afterEach(async () => {
    channels?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  function fakeEngine(size: number): Engine {
    const listen = (_ctx: RequestContext, _db: string, send: (r: ListenResponse) => void): ListenSession => {
      let targets = 0;
      return {
        addTarget: (t) => {
          targets++;
          send({ targetChange: { targetChangeType: 'ADD', targetIds: [t.targetId], resumeToken: 'x'.repeat(size) } });
        },
        removeTarget: () => undefined,
        get targetCount() {
          return targets;
        },
        close: () => undefined,
      };
    };
    return { listen } as Pick<Engine, 'listen'> as Engine;
  }

  async function start(limits: Partial<ChannelLimits>, size = 1000): Promise<string> {
    const wc = new WebChannelServer(fakeEngine(size), limits);
    channels = wc;
    const s = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      wc.handle('Listen', req, res, url).catch((e: unknown) => sendError(res, e));
    });
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    const addr = s.address();
    return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/c?VER=8`;
  }

  async function open(base: string, targets: number): Promise<string> {
    const maps = Array.from({ length: targets }, (_, i) => `req${i}___data__=${encodeURIComponent(JSON.stringify({ database: DB, addTarget: { targetId: i + 2, documents: { documents: [] } } }))}`);
    const r = await fetch(`${base}&RID=1`, { method: 'POST', body: `count=${targets}&ofs=0&${maps.join('&')}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(200);
    await r.text();
    return r.headers.get('x-http-session-id') ?? '';
  }

  const back = (base: string, sid: string, aid: number, ci: 0 | 1) => fetch(`${base}&SID=${sid}&RID=rpc&AID=${aid}&CI=${ci}&TYPE=xmlhttp`);

  async function until(done: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it('closes a session whose backchannel never connects, and keeps one whose backchannel did', async () => {
    const base = await start({ connectMs: 50 });
    const lonely = await open(base, 1);
    const connected = await open(base, 1);
    expect(await (await back(base, connected, 0, 1)).text()).toContain('"ADD"');
    await until(() => channels?.stats().sessions === 1);
    expect(channels?.stats()).toMatchObject({ sessions: 1, targets: 1 });
    // The closed one is unknown now, as after a restart; the SDK opens a new session.
    expect((await back(base, lonely, 0, 1)).status).toBe(400);
  });

  it('ends a streaming backchannel that has carried rotateBytes, so the client reconnects and acknowledges', async () => {
    const base = await start({ rotateBytes: 4000 }, 1000);
    const sid = await open(base, 10);
    const before = channels?.stats().outboxBytes ?? 0;
    expect(before).toBeGreaterThan(10_000);
    // CI=0 would stay open for ever; this one ends because it carried more than rotateBytes.
    const body = await (await back(base, sid, 0, 0)).text();
    const lastId = Math.max(...[...body.matchAll(/\[(\d+),\[\{/g)].map((m) => Number(m[1])));
    expect(lastId).toBe(10);
    // The reconnect's AID acknowledges what was carried: only the new backchannel's first noop is kept.
    const abort = new AbortController();
    const again = await fetch(`${base}&SID=${sid}&RID=rpc&AID=${lastId}&CI=0&TYPE=xmlhttp`, { signal: abort.signal });
    const reader = again.body?.getReader();
    const chunk = new TextDecoder().decode((await reader?.read())?.value);
    abort.abort();
    expect(chunk).toBe('17\n[[11,[["noop"]]]]');
    expect(channels?.stats().outboxBytes).toBe('[11,[["noop"]]]'.length);
  });

  it('closes the session keeping the most when all of them together pass outboxBytesTotal, and tells its client', async () => {
    const base = await start({ outboxBytesTotal: 20_000, outboxBytesPerSession: 1_000_000 }, 1000);
    const small = await open(base, 5);
    const large = await open(base, 10);
    expect(channels?.stats().sessions).toBe(2);
    // Ten more targets on the large one: about 5 kB + 21 kB passes the total, and the large one is closed.
    const more = Array.from({ length: 10 }, (_, i) => `req${i}___data__=${encodeURIComponent(JSON.stringify({ database: DB, addTarget: { targetId: i + 20, documents: { documents: [] } } }))}`);
    const post = await fetch(`${base}&SID=${large}&RID=2&AID=0`, { method: 'POST', body: `count=10&ofs=10&${more.join('&')}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(200);
    expect(channels?.stats().sessions).toBe(1);
    expect(channels?.stats().outboxBytes).toBeLessThanOrEqual(20_000);
    expect(await (await back(base, large, 0, 1)).text()).toMatch(/"error":\{"code":8,.*kept the most/);
    expect(await (await back(base, small, 0, 1)).text()).toContain('"ADD"');
  });

  it('refuses a handshake past the per-client and total session caps with RESOURCE_EXHAUSTED', async () => {
    const base = await start({ sessionsPerClient: 2 });
    await open(base, 1);
    await open(base, 1);
    const r = await fetch(`${base}&RID=1`, { method: 'POST', body: 'count=0&ofs=0' });
    expect(r.status).toBe(429);
    expect(await r.text()).toMatch(/At most 2 WebChannel sessions/);
  });
});
