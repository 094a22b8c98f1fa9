/** The converter of a collection the app only reads (every write is the server's). */
import type { DocumentData, FirestoreDataConverter, QueryDocumentSnapshot } from 'firebase/firestore';

/**
 * A converter that reads with `read` and refuses to write, naming why.
 * @param why - the error a write attempt throws, e.g. 'Appointments are server-written'
 * @param read - from the stored document to the app's shape
 */
export function readOnlyConverter<T>(why: string, read: (snap: QueryDocumentSnapshot) => T): FirestoreDataConverter<T, DocumentData> {
  return {
    toFirestore: () => {
      throw new Error(why);
    },
    fromFirestore: read,
  };
}
