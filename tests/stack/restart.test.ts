/** `npm start` keeps its world across restarts: Firestore documents and Auth users both come back. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStack } from '../../scripts/stack';

const ports = { firestore: 31080, storage: 31199, auth: 31099, functions: 31001, hub: 31400, logging: 31500 };

describe('local stack', () => {
  it('restarts with the same users and documents, and stops without leaving processes', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stack-restart-'));
    let s = await startStack({ dataDir, seed: true, quiet: true, ports });
    await s.stop();
    s = await startStack({ dataDir, seed: false, quiet: true, ports });
    try {
      const signIn = await fetch(`${s.urls.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'paciente@demo.telesalud.test', password: 'demo1234', returnSecureToken: true }),
      });
      expect(signIn.status).toBe(200);
      const docs = await fetch(`${s.urls.firestore}/v1/projects/demo-telesalud/databases/(default)/documents/specialists?pageSize=50`, {
        headers: { Authorization: 'Bearer owner' },
      });
      expect(((await docs.json()) as { documents: unknown[] }).documents).toHaveLength(14);
    } finally {
      await s.stop();
    }
    // Every port is free again.
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });
});
