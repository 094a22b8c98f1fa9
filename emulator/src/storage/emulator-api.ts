/**
 * The emulator endpoints, as firebase-tools' Storage emulator serves them for @firebase/rules-unit-testing:
 * `PUT /internal/setRules`, `POST|DELETE /internal/reset`.
 *
 * One server holds the buckets of several projects at once (the app's `npm start` and test runs with their own
 * project ids), and a call made for one of them must never touch another's, as with rules (rules/projects.ts). So a
 * reset clears only what it names, `?bucket=<name>` and `?project=<id>` (each repeatable; a project's buckets are
 * those projectOfBucket gives it), and one that names nothing (firebase-tools' form, which clears everything) clears
 * every project but the one the server was started for: the app's files go only when asked for by name.
 */
import type http from 'node:http';
import { parseJson, projectOfBucket, readBody, sendJson, StorageHttpError } from './common';
import type { StorageRulesFile, StorageServerOptions } from './server';
import type { StorageService } from './service';
import type { UploadSessions } from './uploads';

/** The emulator endpoints' handler; resolves false when the path is not one of its own. */
export type EmulatorApi = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

/**
 * Builds the emulator endpoints.
 * @param opts - the server's options (the rules hook)
 * @param service - the shared core (store, log)
 * @param uploads - the resumable upload sessions, dropped on reset
 * @param projectId - the project the server was started for (the app's): a reset that names nothing keeps its buckets
 */
export function createEmulatorApi(
  opts: StorageServerOptions,
  service: StorageService,
  uploads: UploadSessions,
  projectId: string,
): EmulatorApi {
  const { store } = service;

  /**
   * firebase-tools' format: one file `{name, content}` is the rules of every bucket that has none of its own; several
   * files each name the bucket they are for in `resource` (one file may name one too). All files are loaded, or none.
   */
  const setRules = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = parseJson(await readBody(req));
    const rules = body.rules;
    const files = typeof rules === 'object' && rules !== null && 'files' in rules ? rules.files : undefined;
    if (!Array.isArray(files) || files.length === 0)
      throw new StorageHttpError(400, 'Body must be {"rules":{"files":[{"name":"storage.rules","content":"..."}]}}');
    const parsed = files.map((file: unknown, i): StorageRulesFile => {
      if (typeof file !== 'object' || file === null)
        throw new StorageHttpError(400, `rules.files[${i}] must be an object {"name", "content"}`);
      const content = 'content' in file ? file.content : undefined;
      if (typeof content !== 'string')
        throw new StorageHttpError(400, `rules.files[${i}].content must be the rules source as a string`);
      const name = 'name' in file && typeof file.name === 'string' ? file.name : undefined;
      const resource = 'resource' in file ? file.resource : undefined;
      if (resource !== undefined && (typeof resource !== 'string' || resource.length === 0))
        throw new StorageHttpError(400, `rules.files[${i}].resource must be a bucket name`);
      if (resource === undefined && files.length > 1)
        throw new StorageHttpError(
          400,
          `rules.files[${i}] needs a "resource" (its bucket): several rules files are one per bucket`,
        );
      return {
        source: content,
        fileName: name ?? 'storage.rules',
        ...(resource !== undefined ? { bucket: resource } : {}),
      };
    });
    if (!opts.onRulesUpdate)
      throw new StorageHttpError(501, 'This Storage emulator was started without a rules engine (no onRulesUpdate)');
    const fileNames = parsed.map((f) => f.fileName);
    try {
      await opts.onRulesUpdate(parsed);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.('storage-rules-rejected', { fileNames, error: message });
      throw new StorageHttpError(400, message);
    }
    opts.log?.('storage-rules-loaded', { fileNames, buckets: parsed.map((f) => f.bucket ?? '*') });
    sendJson(res, 200, { message: 'Rules updated successfully' });
  };

  return async (req, res, url) => {
    const p = url.pathname;
    if (p === '/internal/setRules') {
      if (req.method !== 'PUT') throw new StorageHttpError(405, 'Use PUT /internal/setRules');
      await setRules(req, res);
      return true;
    }
    if (p === '/internal/reset') {
      if (req.method !== 'POST' && req.method !== 'DELETE')
        throw new StorageHttpError(405, 'Use POST or DELETE /internal/reset');
      const which = resetScope(url, projectId);
      const cleared = store.clearBuckets(which);
      uploads.clearBuckets(which);
      opts.log?.('storage-reset', { ...cleared, scope: url.search || `every project but ${projectId}` });
      sendJson(res, 200, cleared);
      return true;
    }
    return false;
  };
}

/**
 * Which buckets a reset clears, from its query: the buckets and projects it names, or, naming none, every bucket not
 * of the server's own project.
 * @throws StorageHttpError 400 for a parameter other than bucket and project, or an empty one
 */
function resetScope(url: URL, ownProject: string): (bucket: string) => boolean {
  const buckets = new Set<string>();
  const projects = new Set<string>();
  for (const [key, value] of url.searchParams) {
    if (key !== 'bucket' && key !== 'project')
      throw new StorageHttpError(400, `/internal/reset takes only ?bucket=<name> and ?project=<id> (got "${key.slice(0, 100)}")`);
    if (!value) throw new StorageHttpError(400, `/internal/reset: ${key} must not be empty`);
    (key === 'bucket' ? buckets : projects).add(value);
  }
  if (!buckets.size && !projects.size) return (b) => projectOfBucket(b) !== ownProject;
  return (b) => buckets.has(b) || projects.has(projectOfBucket(b));
}
