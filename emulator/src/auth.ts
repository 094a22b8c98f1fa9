/** Request identity, emulator-style: `Bearer owner` is the admin; other tokens are unsigned JWTs decoded as is. */
import { randomBytes } from 'node:crypto';
import { Code, FirestoreError, type RequestContext } from './firestore/types';

/**
 * Builds the request context from an Authorization header value.
 * @param header - the raw header (`Bearer <token>`), or undefined when absent
 */
export function contextFromAuthorization(header: string | undefined): RequestContext {
  const requestId = randomBytes(6).toString('hex');
  if (!header) return { admin: false, auth: null, requestId };
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m || !m[1]) throw new FirestoreError(Code.UNAUTHENTICATED, 'Malformed Authorization header');
  const token = m[1].trim();
  if (token === 'owner') return { admin: true, auth: null, requestId };
  const parts = token.split('.');
  if (parts.length < 2 || !parts[1]) throw new FirestoreError(Code.UNAUTHENTICATED, 'Malformed ID token');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new FirestoreError(Code.UNAUTHENTICATED, 'Malformed ID token payload');
  }
  if (typeof payload !== 'object' || payload === null) throw new FirestoreError(Code.UNAUTHENTICATED, 'Malformed ID token payload');
  const claims = payload as Record<string, unknown>;
  const uid = typeof claims.sub === 'string' ? claims.sub : typeof claims.user_id === 'string' ? claims.user_id : undefined;
  if (!uid) throw new FirestoreError(Code.UNAUTHENTICATED, 'ID token has no subject');
  return { admin: false, auth: { uid, token: claims }, requestId };
}
