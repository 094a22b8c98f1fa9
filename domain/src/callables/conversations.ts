/**
 * markConversationRead: sets the caller's unread counter to zero. The counters are server-maintained (a trigger on
 * message creation increments the other participant's), so clients never write the conversation.
 * There is no sendMessage callable: participants create messages directly under rules (see model/conversation.ts).
 */
import { z } from 'zod';
import { id } from '../model/common';

export const markConversationReadRequestSchema = z.strictObject({ conversationId: id });
export type MarkConversationReadRequest = z.infer<typeof markConversationReadRequestSchema>;

export const markConversationReadResponseSchema = z.strictObject({ conversationId: id, unread: z.literal(0) });
export type MarkConversationReadResponse = z.infer<typeof markConversationReadResponseSchema>;
