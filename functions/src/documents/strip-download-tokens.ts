/**
 * Patient files never keep a download token. Firebase Storage gives every client upload one (and a client may even
 * choose it, as the custom metadata key firebaseStorageDownloadTokens), and a token URL serves the bytes to anyone,
 * for ever, whatever the rules say and whoever loses access later. So when an object is finalized under a patient-file
 * folder, its tokens are removed; registerDocument also refuses to register a file until it carries none.
 */
import { isPatientFilePath } from '@telesalud/domain';
import { logs } from '../logs';
import { DOWNLOAD_TOKENS_KEY, tokenCount, type FileStore } from '../storage/files';

/** The finalized object as the event describes it. */
export interface FinalizedObject {
  name: string;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * Strips the download tokens of a newly finalized patient file.
 * @param object - the event's object
 * @param files - the object's bucket
 * @returns what happened, for tests and logs
 */
export async function stripPatientFileTokens(object: FinalizedObject, files: FileStore): Promise<'stripped' | 'no-token' | 'ignored'> {
  if (!isPatientFilePath(object.name)) return 'ignored';
  if (tokenCount(object.metadata?.[DOWNLOAD_TOKENS_KEY]) === 0) return 'no-token';
  const after = await files.removeDownloadTokens(object.name);
  // null: deleted in the meantime, so no token of it can be used either.
  // The folder, not the name: a file name may say what the file is about.
  const folder = object.name.slice(0, object.name.lastIndexOf('/'));
  if (after && after.downloadTokens > 0) throw new Error(`download tokens survived their removal in ${folder}`);
  logs.downloadTokensStripped(folder);
  return 'stripped';
}
