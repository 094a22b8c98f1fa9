/**
 * Session news between the tabs of one browser: a sign-out in one tab signs out all of them. A BroadcastChannel
 * where the browser has one, else `storage` events on a localStorage key. A bus never hears its own posts.
 */
import type { ExpiryReason } from './idle-policy';

/** Why a session was ended: by the person, or by one of the automatic limits. */
export type SignOutReason = 'manual' | ExpiryReason;

export type SessionMessage = { type: 'signed-out'; reason: SignOutReason };

export interface SessionBus {
  /** Tells the other tabs. */
  post(message: SessionMessage): void;
  /** Listens to the other tabs; returns the function that stops listening. */
  subscribe(listener: (message: SessionMessage) => void): () => void;
}

const NAME = 'telesalud.session';
const REASONS: readonly string[] = ['manual', 'idle', 'absolute'] satisfies SignOutReason[];

function isReason(v: unknown): v is SignOutReason {
  return typeof v === 'string' && REASONS.includes(v);
}

/**
 * Reads a message from another tab, which may run an older or newer version of the app.
 * @param data - whatever arrived
 * @returns the message, or null when it is not one this version understands
 */
export function parseSessionMessage(data: unknown): SessionMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, reason } = data as Record<string, unknown>;
  return type === 'signed-out' && isReason(reason) ? { type, reason } : null;
}

/**
 * A bus over a BroadcastChannel.
 * @param name - the channel name
 */
export function broadcastChannelBus(name = NAME): SessionBus {
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    subscribe(listener) {
      const handler = (e: MessageEvent<unknown>) => {
        const m = parseSessionMessage(e.data);
        if (m) listener(m);
      };
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}

/**
 * A bus over `storage` events, for browsers without BroadcastChannel. Every post writes a new value (a counter
 * makes it unique) because an unchanged value fires no event.
 * @param storage - the storage shared by the tabs
 * @param target - the window whose `storage` events are heard
 * @param key - the storage key carrying the messages
 */
export function storageEventBus(storage: Storage, target: Window, key = `${NAME}.message`): SessionBus {
  let sent = 0;
  return {
    post(message) {
      sent += 1;
      storage.setItem(key, JSON.stringify({ ...message, n: `${Date.now()}-${sent}` }));
    },
    subscribe(listener) {
      const handler = (e: StorageEvent) => {
        if (e.key !== key || e.newValue === null) return;
        let data: unknown;
        try {
          data = JSON.parse(e.newValue);
        } catch {
          // Not ours to interpret: another writer of this key, or a truncated value.
          return;
        }
        const m = parseSessionMessage(data);
        if (m) listener(m);
      };
      target.addEventListener('storage', handler);
      return () => target.removeEventListener('storage', handler);
    },
  };
}

let shared: SessionBus | undefined;

/** The tab's one bus (one channel object, so the tab does not hear its own posts). */
export function sessionBus(): SessionBus {
  shared ??= typeof BroadcastChannel === 'function' ? broadcastChannelBus() : storageEventBus(localStorage, window);
  return shared;
}
