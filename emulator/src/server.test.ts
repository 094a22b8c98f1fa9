import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './server';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

/** Sends raw bytes in the given pieces, a pause between them, and returns the whole answer. */
function raw(pieces: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(emu.port, emu.host);
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    let i = 0;
    const next = () => {
      const p = pieces[i++];
      if (p === undefined) return;
      s.write(p);
      setTimeout(next, 50);
    };
    next();
  });
}

describe('one port for HTTP/1.1 and gRPC', () => {
  it('routes an HTTP/1.1 request whose first packet is a lone "P" (which could begin the HTTP/2 preface)', async () => {
    const answer = await raw(['P', 'UT /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n']);
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect(answer).toContain('"status":"NOT_FOUND"');
  });

  it('answers the health check', async () => {
    const r = await fetch(`http://${emu.address}/`);
    expect([r.status, await r.text()]).toEqual([200, 'Ok']);
  });
});
