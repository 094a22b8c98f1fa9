/**
 * The two times the session limits count from, kept in localStorage: shared by every tab of the browser (so
 * activity in one tab keeps the others alive) and kept across reloads (so a reload does not restart the clocks).
 */

const ACTIVITY_KEY = 'telesalud.session.activity';
const SIGNED_IN_KEY = 'telesalud.session.signedIn';

export interface SessionMarks {
  /** Epoch ms of the latest recorded activity in any tab, or null. */
  lastActivity(): number | null;
  setLastActivity(at: number): void;
  /** Epoch ms of the sign-in of `uid` in this browser, or null when none is recorded for that account. */
  signedInAt(uid: string): number | null;
  setSignedInAt(uid: string, at: number): void;
  /** Forgets both marks (at sign-out, and before a new sign-in). */
  clear(): void;
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function parse(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    // A value this version cannot read counts as no mark: the caller falls back to the server's sign-in time.
    return null;
  }
}

/**
 * Marks kept in a Storage.
 * @param storage - localStorage in the app; any Storage in tests
 */
export function createSessionMarks(storage: Storage): SessionMarks {
  return {
    lastActivity: () => finite(parse(storage.getItem(ACTIVITY_KEY))),
    setLastActivity: (at) => storage.setItem(ACTIVITY_KEY, JSON.stringify(at)),
    signedInAt(uid) {
      const v = parse(storage.getItem(SIGNED_IN_KEY));
      if (typeof v !== 'object' || v === null) return null;
      const rec = v as Record<string, unknown>;
      return rec.uid === uid ? finite(rec.at) : null;
    },
    setSignedInAt: (uid, at) => storage.setItem(SIGNED_IN_KEY, JSON.stringify({ uid, at })),
    clear() {
      storage.removeItem(ACTIVITY_KEY);
      storage.removeItem(SIGNED_IN_KEY);
    },
  };
}

/** A Storage that lives in memory, for browsers that refuse localStorage (some privacy modes). */
export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

function browserStorage(): Storage {
  try {
    return window.localStorage;
  } catch {
    // Reading `localStorage` throws when site data is blocked; limits then count per tab, which is still safe.
    return memoryStorage();
  }
}

let shared: SessionMarks | undefined;

/** The marks of this browser (localStorage). */
export function sessionMarks(): SessionMarks {
  shared ??= createSessionMarks(browserStorage());
  return shared;
}
