/**
 * Admin access to the stored patient files (firebase-admin's bucket API, i.e. the GCS JSON API): what registration and
 * openDocument need, behind a small interface so their handlers are testable without Storage.
 */
import type { Bucket } from '@google-cloud/storage';

/** GCS keeps Firebase download tokens in this custom metadata key (comma separated); a token is a public link. */
export const DOWNLOAD_TOKENS_KEY = 'firebaseStorageDownloadTokens';

/** What the server trusts about a stored object: read from Storage, never from the client. */
export interface StoredFile {
  size: number;
  contentType: string;
  /** How many download tokens it carries (each a public link); 0 for a patient file once finalize has run. */
  downloadTokens: number;
}

export interface FileStore {
  /** The object's metadata, or null when there is no such object. */
  stat(path: string): Promise<StoredFile | null>;
  /** Removes every download token of the object; resolves to its metadata afterwards (null when it is gone). */
  removeDownloadTokens(path: string): Promise<StoredFile | null>;
  /** The object's bytes. */
  read(path: string): Promise<Buffer>;
}

/**
 * How many tokens a custom metadata value lists.
 * @param value - the value of firebaseStorageDownloadTokens, if any
 */
export function tokenCount(value: unknown): number {
  return typeof value === 'string' ? value.split(',').filter((t) => t.trim().length > 0).length : 0;
}

interface GcsMetadata {
  size?: string | number;
  contentType?: string;
  metadata?: Record<string, unknown>;
}

function storedFileOf(m: GcsMetadata): StoredFile {
  return {
    size: Number(m.size ?? 0),
    contentType: m.contentType ?? 'application/octet-stream',
    downloadTokens: tokenCount(m.metadata?.[DOWNLOAD_TOKENS_KEY]),
  };
}

/** GCS answers 404 for a missing object. */
function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === 404;
}

/**
 * The FileStore of one bucket.
 * @param bucket - firebase-admin's bucket (getStorage().bucket(…)), asked for on each use: the default bucket's name
 *   comes from the runtime's config, which must not be needed just to load the functions
 */
export function bucketFiles(bucket: () => Bucket): FileStore {
  return {
    async stat(path) {
      try {
        const [m] = await bucket().file(path).getMetadata();
        return storedFileOf(m);
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async removeDownloadTokens(path) {
      try {
        // null deletes the key: GCS, and then the Firebase API, no longer honour any token of the object.
        const [m] = await bucket().file(path).setMetadata({ metadata: { [DOWNLOAD_TOKENS_KEY]: null } });
        return storedFileOf(m);
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    async read(path) {
      const [bytes] = await bucket().file(path).download();
      return bytes;
    },
  };
}
