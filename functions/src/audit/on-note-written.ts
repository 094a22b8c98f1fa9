/**
 * Clinical notes are written by the appointment's specialist straight to Firestore (rules check who and which
 * fields); this trigger puts every create, edit and deletion in the audit log. The entry names the note's path,
 * never its text.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { writeAudit } from '../audit';

export interface NoteWrite {
  /** The note's document path, appointments/{appointmentId}/notes/{noteId}. */
  path: string;
  /** authorUid after the write (before it, for a deletion); null when neither side has one. */
  authorUid: string | null;
  /** The CloudEvent id: one entry per event, also when the event is delivered twice. */
  eventId: string;
}

/**
 * Appends `note.write` for one note change. Idempotent per event: the entry id is derived from the event id.
 * @param change - what was written
 * @param db - the admin Firestore
 */
export async function handleNoteWritten(change: NoteWrite, db: Firestore): Promise<void> {
  await writeAudit(
    db,
    {
      who: change.authorUid,
      role: change.authorUid ? 'specialist' : 'system',
      action: 'note.write',
      target: change.path,
      outcome: 'allowed',
      requestId: change.eventId,
    },
    undefined,
    `note-${change.eventId}`,
  );
}
