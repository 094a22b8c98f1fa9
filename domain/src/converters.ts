/**
 * Typed Firestore converters built from the domain schemas, shaped so that both SDKs accept them with
 * `withConverter()`: the web SDK (`firebase/firestore`) in web/src/data/ and the admin SDK in functions/src/repositories/.
 * Reading parses the stored document with its schema, so a document that breaks the contract fails loudly, naming its
 * path, instead of flowing on as `any`. Writing passes the model through: the server's writes carry sentinels
 * (serverTimestamp, arrayUnion) that only Firestore resolves, and rules check client writes.
 */
import type { z } from 'zod';

/** What both SDKs' document snapshots offer. */
export interface SnapshotLike {
  data(): unknown;
  readonly ref: { readonly path: string };
}

/** Thrown when a stored document does not match its schema. */
export class InvalidDocumentError extends Error {
  override name = 'InvalidDocumentError';
  constructor(
    readonly path: string,
    readonly fields: string[],
  ) {
    super(`Document ${path} does not match its schema (${fields.join(', ') || 'document'})`);
  }
}

export interface SchemaConverter<T> {
  toFirestore(model: T): Record<string, unknown>;
  fromFirestore(snapshot: SnapshotLike): T;
}

/**
 * Parses a stored document with its schema.
 * @param schema - the collection's schema (COLLECTIONS has one per collection)
 * @param snapshot - a snapshot of either SDK
 * @throws InvalidDocumentError naming the document and the offending fields
 */
export function parseDocument<S extends z.ZodType>(schema: S, snapshot: SnapshotLike): z.output<S> {
  const parsed = schema.safeParse(snapshot.data());
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.flatMap((i) => {
    const at = i.path.join('.');
    // An unknown key is reported on its parent: name the key itself.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => (at ? `${at}.${k}` : k));
    return [at];
  });
  throw new InvalidDocumentError(snapshot.ref.path, [...new Set(fields)]);
}

/**
 * A converter for `withConverter()` in either SDK.
 * @param schema - the collection's schema
 */
export function schemaConverter<S extends z.ZodType>(schema: S): SchemaConverter<z.output<S>> {
  return {
    toFirestore: (model) => ({ ...(model as Record<string, unknown>) }),
    fromFirestore: (snapshot) => parseDocument(schema, snapshot),
  };
}
