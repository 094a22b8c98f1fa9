/**
 * Where the parity suite runs: our engine, started per test file, or any emulator already listening at
 * PARITY_FIRESTORE_HOST (e.g. the official one). Tests only use public SDKs and this host.
 */
import { startEmulator } from '../../src/server';

export interface Target {
  /** host:port for FIRESTORE_EMULATOR_HOST and connectFirestoreEmulator. */
  host: string;
  hostname: string;
  port: number;
  /** Drops every document of a project through the emulator endpoint. */
  clear(projectId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts (or points at) the emulator under test and opens every path of one project to clients.
 * @param opts - data folder and port for our engine; `projectId` is the project whose rules are opened (rules are
 *   per project, as in Firebase: default PARITY_PROJECT_ID, else demo-parity)
 */
export async function startTarget(opts: { dataDir?: string; port?: number; projectId?: string } = {}): Promise<Target> {
  const external = process.env.PARITY_FIRESTORE_HOST;
  let host: string;
  let close: () => Promise<void>;
  if (external) {
    host = external;
    close = async () => {};
  } else {
    const emu = await startEmulator({ port: opts.port ?? 0, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
    host = emu.address;
    close = () => emu.close();
  }
  const [hostname = '127.0.0.1', port = '0'] = host.split(':');
  // The parity suite tests the data plane, not rules: open every path, the same way on any emulator.
  const rules = "rules_version = '2';\nservice cloud.firestore {\n  match /{document=**} {\n    allow read, write: if true;\n  }\n}\n";
  const put = await fetch(`http://${host}/emulator/v1/projects/${opts.projectId ?? process.env.PARITY_PROJECT_ID ?? 'demo-parity'}:securityRules`, {
    method: 'PUT',
    body: JSON.stringify({ rules: { files: [{ content: rules }] } }),
  });
  if (!put.ok) throw new Error(`loading open rules failed: ${put.status} ${await put.text()}`);
  return {
    host,
    hostname,
    port: Number(port),
    async clear(projectId) {
      const r = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' });
      if (!r.ok) throw new Error(`clear failed: ${r.status}`);
    },
    close,
  };
}
