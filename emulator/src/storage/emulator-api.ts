/**
 * The emulator endpoints, as firebase-tools' Storage emulator serves them for @firebase/rules-unit-testing:
 * `PUT /internal/setRules`, `POST|DELETE /internal/reset`.
 */
import type http from 'node:http';
import { parseJson, readBody, sendJson, StorageHttpError } from './common';
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
 */
export function createEmulatorApi(
  opts: StorageServerOptions,
  service: StorageService,
  uploads: UploadSessions,
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
      const n = store.size();
      store.clear();
      uploads.clear();
      opts.log?.('storage-reset', { objects: n });
      sendJson(res, 200, {});
      return true;
    }
    return false;
  };
}
