/**
 * The engine, Storage and the stack trust unsigned ID tokens and `Bearer owner`, as the official emulators do, so
 * they refuse to listen anywhere but loopback unless told explicitly. Only the refusal is exercised here: nothing in
 * this file listens on a non-loopback address.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack } from '../../scripts/stack';
import { ALLOW_NON_LOOPBACK_ENV, assertLoopback, isLoopback, NonLoopbackError } from '../src/loopback';
import { startEmulator } from '../src/server';
import { startStorageEmulator } from '../src/storage';

const ROOT = path.resolve(import.meta.dirname, '../..');
const saved = process.env[ALLOW_NON_LOOPBACK_ENV];

afterEach(() => {
  if (saved === undefined) delete process.env.TELESALUD_ALLOW_NON_LOOPBACK;
  else process.env[ALLOW_NON_LOOPBACK_ENV] = saved;
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['example.com', false],
    ['127.0.0.1.nip.io', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('refusing a non-loopback address', () => {
  it('startEmulator refuses 0.0.0.0 with a reason and how to allow it', async () => {
    delete process.env.TELESALUD_ALLOW_NON_LOOPBACK;
    const started = startEmulator({ host: '0.0.0.0', port: 0 });
    await expect(started).rejects.toThrow(NonLoopbackError);
    await expect(started).rejects.toThrow(/unsigned ID tokens.*--allow-non-loopback.*TELESALUD_ALLOW_NON_LOOPBACK=1/);
  });

  it('startStorageEmulator refuses a LAN address', async () => {
    delete process.env.TELESALUD_ALLOW_NON_LOOPBACK;
    await expect(startStorageEmulator({ host: '192.168.1.20', port: 0 })).rejects.toThrow(NonLoopbackError);
  });

  it('the stack refuses before it starts anything', async () => {
    delete process.env.TELESALUD_ALLOW_NON_LOOPBACK;
    await expect(startStack({ host: '0.0.0.0', quiet: true })).rejects.toThrow(/Refusing to start the local stack/);
  });

  it('the CLI exits 2 with the reason', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TELESALUD_ALLOW_NON_LOOPBACK;
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['emulator/src/cli.ts', '--host', '0.0.0.0', '--port', '0'],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect([run.status, run.stderr]).toEqual([
      2,
      expect.stringContaining('Refusing to start the Firestore engine on 0.0.0.0'),
    ]);
  });

  it('an explicit permission (option or environment) turns the refusal into a loud warning', () => {
    const warnings: string[] = [];
    delete process.env.TELESALUD_ALLOW_NON_LOOPBACK;
    assertLoopback('0.0.0.0', 'Firestore engine', true, (m) => warnings.push(m));
    process.env[ALLOW_NON_LOOPBACK_ENV] = '1';
    assertLoopback('0.0.0.0', 'Firestore engine', undefined, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringContaining('WARNING'), expect.stringContaining('WARNING')]);
    process.env[ALLOW_NON_LOOPBACK_ENV] = '0';
    expect(() => assertLoopback('0.0.0.0', 'Firestore engine', false, (m) => warnings.push(m))).toThrow(
      NonLoopbackError,
    );
    assertLoopback('127.0.0.1', 'Firestore engine', false, (m) => warnings.push(m));
    expect(warnings).toHaveLength(2);
  });
});
