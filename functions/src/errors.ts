/** Error codes of the admin SDKs, read in one place: Firestore (gRPC status numbers) and Auth (strings). */

/** The gRPC status codes Firestore errors carry, for the few the functions act on. */
export const GRPC = { NOT_FOUND: 5, ALREADY_EXISTS: 6, ABORTED: 10 } as const;

/**
 * The `code` of an SDK error, or undefined when it has none.
 * @param e - whatever was thrown
 */
export function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
}
