/**
 * Cloud Functions triggers from the engine's commits. firebase-tools' Functions emulator loads our Firestore
 * triggers but only registers them with its own (Java) Firestore emulator; so we read the loaded triggers from its
 * `/backends` route and deliver each change as a structured CloudEvent (JSON data, which firebase-functions v2
 * accepts) to `/functions/projects/{project}/triggers/{id}`. At least once, in commit order per document.
 */
import { randomUUID } from 'node:crypto';
import type { CommitEvent, Document, DocumentChange, Engine } from '../firestore/types';
import { splitName } from '../firestore/paths';
import { encodeJson } from '../firestore/persistence';

const PREFIX = 'google.cloud.firestore.document.v1.';
type Kind = 'created' | 'updated' | 'deleted' | 'written';

export interface FirestoreTrigger {
  /** The Functions emulator's trigger id, e.g. "us-central1-usersOnCreated". */
  id: string;
  kind: Kind;
  eventType: string;
  database: string;
  /** Document path pattern, e.g. "users/{uid}". */
  pattern: string;
}

/** What the Functions emulator's `GET /backends` lists: the loaded functions with their event or schedule triggers. */
export interface BackendsResponse {
  backends?: {
    functionTriggers?: {
      id?: string;
      name?: string;
      region?: string;
      eventTrigger?: { eventType?: string; eventFilters?: Record<string, string>; eventFilterPathPatterns?: Record<string, string> };
      schedule?: { schedule?: string; timeZone?: string | null };
    }[];
  }[];
}

/**
 * firebase-tools keys a trigger as "<id>-<generation>", the generation growing on each functions reload, and
 * /backends does not show it. Its 404 answer lists the valid keys, so the current key is learnt from it.
 * @param id - the function's id ("us-central1-name")
 * @param notFoundBody - the text of the emulator's 404 answer
 * @returns the key with the highest generation, or undefined when the answer names none for this id
 */
export function newestTriggerKey(id: string, notFoundBody: string): string | undefined {
  const keys = notFoundBody.match(new RegExp(`${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+`, 'g')) ?? [];
  return keys.sort((a, b) => Number(b.slice(id.length + 1)) - Number(a.slice(id.length + 1)))[0];
}

/** Does a document path match a trigger pattern? `{x}` is one segment, `{x=**}` the rest. */
export function matchesPattern(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const s = path.split('/');
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    if (/^\{[^}]+=\*\*\}$/.test(part)) return i < s.length || i === s.length;
    if (i >= s.length) return false;
    if (/^\{[^}]+\}$/.test(part)) continue;
    if (part !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Parses the Functions emulator's /backends answer into the Firestore triggers it has loaded. */
export function triggersFromBackends(body: BackendsResponse): FirestoreTrigger[] {
  const out: FirestoreTrigger[] = [];
  for (const b of body.backends ?? []) {
    for (const t of b.functionTriggers ?? []) {
      const type = t.eventTrigger?.eventType ?? '';
      if (!type.startsWith(PREFIX)) continue;
      const kind = type.slice(PREFIX.length).replace('.withAuthContext', '') as Kind;
      if (!['created', 'updated', 'deleted', 'written'].includes(kind)) continue;
      const pattern = t.eventTrigger?.eventFilterPathPatterns?.document ?? t.eventTrigger?.eventFilters?.document;
      const id = t.id ?? (t.region && t.name ? `${t.region}-${t.name}` : undefined);
      if (!pattern || !id) continue;
      out.push({ id, kind, eventType: type, database: t.eventTrigger?.eventFilters?.database ?? '(default)', pattern });
    }
  }
  return out;
}

function fires(kind: Kind, c: DocumentChange): boolean {
  switch (kind) {
    case 'created':
      return !c.before && !!c.after;
    case 'updated':
      return !!c.before && !!c.after;
    case 'deleted':
      return !!c.before && !c.after;
    case 'written':
      return true;
  }
}

export interface DispatcherOptions {
  functionsUrl: string;
  projectId: string;
  log?: (event: string, fields?: Record<string, unknown>) => void;
  /** How often to re-read the loaded triggers (the emulator reloads functions on change). */
  refreshMs?: number;
  maxAttempts?: number;
  /**
   * Deliveries in flight at once, over all triggers. The Functions emulator starts one worker process per concurrent
   * invocation, so an unbounded burst (a seed writing forty profiles) starts forty Node processes that time out
   * loading the functions on a small machine; Cloud Functions bounds it with instances. Default 3.
   */
  maxConcurrent?: number;
}

export interface TriggerDispatcher {
  refresh(): Promise<FirestoreTrigger[]>;
  /** Resolves when every queued delivery has finished (delivered or given up). */
  whenIdle(): Promise<void>;
  close(): void;
}

/** Starts delivering the engine's commits to the Functions emulator. */
export function startTriggerDispatcher(engine: Engine, opts: DispatcherOptions): TriggerDispatcher {
  let triggers: FirestoreTrigger[] = [];
  const queues = new Map<string, Promise<void>>();
  let pending = 0;
  let idleWaiters: (() => void)[] = [];
  let closed = false;
  const maxAttempts = opts.maxAttempts ?? 8;
  const maxConcurrent = Math.max(1, opts.maxConcurrent ?? 3);
  let inFlight = 0;
  const slotWaiters: (() => void)[] = [];
  /** Runs one POST inside the concurrency bound (not the backoff sleeps between attempts). */
  async function bounded<T>(send: () => Promise<T>): Promise<T> {
    if (inFlight >= maxConcurrent) await new Promise<void>((r) => slotWaiters.push(r));
    inFlight++;
    try {
      return await send();
    } finally {
      inFlight--;
      slotWaiters.shift()?.();
    }
  }
  /** The current key of each trigger, learnt from the emulator's 404 answers (newestTriggerKey). */
  const routeKeys = new Map<string, string>();
  const learnKey = (id: string, notFoundBody: string): boolean => {
    const newest = newestTriggerKey(id, notFoundBody);
    if (!newest || newest === routeKeys.get(id)) return false;
    routeKeys.set(id, newest);
    return true;
  };

  const refresh = async () => {
    const r = await fetch(`${opts.functionsUrl}/backends`);
    if (!r.ok) throw new Error(`Functions emulator /backends answered ${r.status}`);
    triggers = triggersFromBackends((await r.json()) as BackendsResponse);
    return triggers;
  };
  const timer = setInterval(() => {
    refresh().catch((e: unknown) => opts.log?.('trigger-refresh-failed', { error: String(e) }));
  }, opts.refreshMs ?? 5_000);
  timer.unref();

  const settle = () => {
    pending--;
    if (pending === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  async function deliver(t: FirestoreTrigger, e: CommitEvent, c: DocumentChange): Promise<void> {
    const { projectId, segments } = splitName(c.name);
    const document = segments.join('/');
    const data: { value?: Document; oldValue?: Document } = {};
    if (c.after) data.value = c.after;
    if (c.before) data.oldValue = c.before;
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      source: `//firestore.googleapis.com/projects/${projectId}/databases/${t.database}`,
      type: t.eventType,
      time: e.commitTime,
      subject: `documents/${document}`,
      datacontenttype: 'application/json; charset=utf-8',
      project: projectId,
      database: t.database,
      namespace: '(default)',
      document,
      data,
    };
    const body = encodeJson(event);
    for (let attempt = 1; ; attempt++) {
      try {
        const key = routeKeys.get(t.id) ?? t.id;
        const r = await bounded(async () => {
          const res = await fetch(`${opts.functionsUrl}/functions/projects/${opts.projectId}/triggers/${key}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
          });
          // The body is read inside the bound: the invocation is over only when the emulator has answered it all.
          return { ok: res.ok, status: res.status, text: await res.text() };
        });
        if (r.ok) return;
        if (r.status === 404 && learnKey(t.id, r.text)) {
          attempt--;
          continue;
        }
        // 4xx other than 404 (not loaded yet) will not get better by retrying.
        if (r.status >= 400 && r.status < 500 && r.status !== 404) {
          opts.log?.('trigger-rejected', { trigger: t.id, document, status: r.status });
          return;
        }
        throw new Error(`status ${r.status}`);
      } catch (err) {
        if (closed || attempt >= maxAttempts) {
          opts.log?.('trigger-gave-up', { trigger: t.id, document, attempts: attempt, error: String(err) });
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 5_000)));
      }
    }
  }

  const unsubscribe = engine.onCommit((e) => {
    if (closed) return;
    const projectDb = e.database;
    for (const c of e.changes) {
      const { database, segments } = splitName(c.name);
      if (database !== projectDb) continue;
      const path = segments.join('/');
      const dbId = database.slice(database.lastIndexOf('/') + 1);
      for (const t of triggers) {
        if (t.database !== dbId || !fires(t.kind, c) || !matchesPattern(t.pattern, path)) continue;
        // One queue per document keeps that document's events in commit order.
        pending++;
        const prev = queues.get(c.name) ?? Promise.resolve();
        const next = prev.then(() => deliver(t, e, c)).finally(settle);
        queues.set(c.name, next);
        void next.then(() => {
          if (queues.get(c.name) === next) queues.delete(c.name);
        });
      }
    }
  });

  return {
    refresh,
    whenIdle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
