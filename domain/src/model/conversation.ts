/**
 * conversations/{conversationId} and conversations/{conversationId}/messages/{messageId}.
 *
 * Messages are created by clients under rules (sender is the caller, one of the two participants, `createdAt` is the
 * request time), not through a callable: a message then shows at once, works offline, and costs no function call.
 * Everything derived from messages (preview, lastMessageAt, unread counters, notifications) is written by a trigger
 * on message creation, so no client can set another participant's counter.
 */
import { z } from 'zod';
import { id, isUnique, longText, safeRecord, storagePath, text, timestampSchema } from './common';

export const MESSAGE_MAX_CHARS = 4000;
export const MESSAGE_MAX_ATTACHMENTS = 5;
/** Characters of the last message kept on the conversation for the inbox list. */
export const PREVIEW_MAX_CHARS = 140;

/**
 * The preview of a message: its first characters, whitespace collapsed, cut at PREVIEW_MAX_CHARS.
 * @param text - the message text
 */
export function messagePreview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_MAX_CHARS) return flat;
  // Cut between characters: half a surrogate pair or a dangling emoji joiner is not text (schema `text` refuses it).
  const cut = flat.slice(0, PREVIEW_MAX_CHARS - 1).replace(/[\uD800-\uDBFF]$/, '').replace(/\u200D+$/, '');
  return `${cut}…`;
}

/** One conversation per patient–specialist pair, created by the server when a booking or request first links them. */
export const conversationSchema = z
  .strictObject({
    /** [patientUid, specialistUid], in that order; rules and queries use `array-contains` on it. */
    participants: z.tuple([id, id]).refine(isUnique, 'Two different people'),
    /** The appointment that opened the conversation, for context in the header. */
    appointmentId: id.optional(),
    lastMessage: z
      .strictObject({ senderUid: id, text: text(PREVIEW_MAX_CHARS, { min: 0 }), hasAttachments: z.boolean() })
      .optional(),
    lastMessageAt: timestampSchema.optional(),
    /** Messages each participant has not read; only the participants' uids are keys. */
    unread: safeRecord(id, z.number().int().nonnegative().max(1_000_000), 2),
    createdAt: timestampSchema,
  })
  .superRefine((c, ctx) => {
    for (const uid of Object.keys(c.unread)) {
      if (!c.participants.includes(uid))
        ctx.addIssue({ code: 'custom', message: 'Not a participant', path: ['unread', uid] });
    }
    if ((c.lastMessage === undefined) !== (c.lastMessageAt === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'lastMessage and lastMessageAt go together', path: ['lastMessageAt'] });
    }
  });
export type Conversation = z.infer<typeof conversationSchema>;

/**
 * A message as the client creates it. Attachments are Storage object names under the conversation's folder, uploaded
 * first (storage.rules checks the sender and the size).
 */
export const messageSchema = z.strictObject({
  senderUid: id,
  text: longText(MESSAGE_MAX_CHARS),
  createdAt: timestampSchema,
  attachments: z
    .array(storagePath)
    .min(1)
    .max(MESSAGE_MAX_ATTACHMENTS)
    .refine(isUnique, 'Duplicate attachment')
    .optional(),
});
export type Message = z.infer<typeof messageSchema>;
