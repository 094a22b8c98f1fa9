/** The notification service's log events. Ids, kinds, channels and outcomes only: never an address, a body or a reason. */
import { logger } from 'firebase-functions/v2';

export const notificationLogs = {
  delivered: (fields: { sourceId: string; eventId?: string; kind: string; recipientUid: string; outcomes: Record<string, string> }) =>
    logger.info('notification-delivery', fields),
  channelNotConfigured: (channel: string, missing: readonly string[]) => logger.warn('notification-channel-not-configured', { channel, missing }),
  sendFailed: (sourceId: string, channel: string, attempt: number, code: string, permanent: boolean, retryInMs: number | null) =>
    logger.warn('notification-send-failed', { sourceId, channel, attempt, code, permanent, retryInMs }),
  skipped: (sourceId: string, reason: string) => logger.info('notification-skipped', { sourceId, reason }),
};
