/**
 * Storage triggers, delivered the way firebase-tools' own Storage emulator does (lib/emulator/storage/cloudFunctions.js):
 * each change is POSTed as a structured CloudEvent (`application/cloudevents+json`) to the Functions emulator's
 * `/functions/projects/{project}/trigger_multicast` route, which fans it out to the functions registered for that
 * event type and bucket (onObjectFinalized / onObjectDeleted / onObjectMetadataUpdated, firebase-functions v2).
 *
 * One queue for all events keeps them in the order the changes happened. A Functions emulator that is not up yet
 * (connection refused, 5xx) is retried with exponential backoff; giving up is logged, never thrown at the writer.
 */
import { randomUUID } from 'node:crypto';

export type StorageEventKind = 'finalized' | 'deleted' | 'metadataUpdated';

/** The CloudEvent we post: production's attributes (subject `objects/{name}`, `bucket` extension) and GCS data. */
export interface StorageCloudEvent {
  specversion: '1.0';
  id: string;
  type: `google.cloud.storage.object.v1.${StorageEventKind}`;
  source: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Extension attribute firebase-functions reads for the v1-compatible `context.resource`. */
  bucket: string;
  /** The object resource as the GCS JSON API returns it. */
  data: { bucket: string; name: string } & Record<string, unknown>;
}

export interface TriggerQueueOptions {
  /** Base URL of the Functions emulator, read again at each delivery; undefined means triggers are off. */
  functionsUrl: string | (() => string | undefined);
  projectId: string;
  log?: (event: string, detail?: Record<string, unknown>) => void;
  /** Deliveries tried per event before giving up (default 8). */
  maxAttempts?: number;
  /** First backoff; doubles per attempt, capped at 5 s (default 250 ms). */
  initialDelayMs?: number;
}

export interface TriggerQueue {
  /** Queues one event; a no-op when no Functions emulator is configured. */
  enqueue(kind: StorageEventKind, data: StorageCloudEvent['data'], time: string): void;
  /** Resolves once every queued event was delivered or given up. */
  whenIdle(): Promise<void>;
  /** Stops retrying: what is still queued is dropped (and logged). */
  close(): void;
}

/** Builds the CloudEvent for one change. */
export function storageCloudEvent(kind: StorageEventKind, data: StorageCloudEvent['data'], time: string): StorageCloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: `google.cloud.storage.object.v1.${kind}`,
    source: `//storage.googleapis.com/projects/_/buckets/${data.bucket}`,
    subject: `objects/${data.name}`,
    time,
    datacontenttype: 'application/json',
    bucket: data.bucket,
    data,
  };
}

/**
 * Creates the delivery queue.
 * @param opts - where to deliver and how hard to try
 */
export function createTriggerQueue(opts: TriggerQueueOptions): TriggerQueue {
  const urlOf = (): string | undefined => (typeof opts.functionsUrl === 'function' ? opts.functionsUrl() : opts.functionsUrl);
  const maxAttempts = opts.maxAttempts ?? 8;
  const initialDelay = opts.initialDelayMs ?? 250;
  const queue: StorageCloudEvent[] = [];
  let running = false;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = undefined;
        resolve();
      };
    });

  /** Delivers one event, retrying while the Functions emulator is unreachable; every outcome is logged. */
  async function deliver(event: StorageCloudEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; ; attempt++) {
      if (closed) {
        opts.log?.('storage-trigger-gave-up', { type: event.type, name: event.data.name, attempts: attempt - 1, error: 'emulator closed' });
        return;
      }
      const base = urlOf();
      if (!base) {
        opts.log?.('storage-trigger-dropped', { type: event.type, name: event.data.name, reason: 'no Functions emulator configured' });
        return;
      }
      let failure: string;
      try {
        const r = await fetch(`${base.replace(/\/+$/, '')}/functions/projects/${opts.projectId}/trigger_multicast`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/cloudevents+json; charset=UTF-8' },
          body,
        });
        // Read the body either way so the connection is released.
        const text = await r.text();
        if (r.ok) {
          opts.log?.('storage-trigger-delivered', { type: event.type, name: event.data.name, attempts: attempt });
          return;
        }
        failure = `status ${r.status}: ${text.slice(0, 200)}`;
        // A 4xx other than "not there yet" (404) or throttling will not improve by retrying.
        if (r.status >= 400 && r.status < 500 && r.status !== 404 && r.status !== 408 && r.status !== 429) {
          opts.log?.('storage-trigger-rejected', { type: event.type, name: event.data.name, error: failure });
          return;
        }
      } catch (e) {
        failure = e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e);
      }
      if (attempt >= maxAttempts) {
        opts.log?.('storage-trigger-gave-up', { type: event.type, name: event.data.name, attempts: attempt, error: failure });
        return;
      }
      const delayMs = Math.min(initialDelay * 2 ** (attempt - 1), 5_000);
      opts.log?.('storage-trigger-retry', { type: event.type, name: event.data.name, attempt, delayMs, error: failure });
      await sleep(delayMs);
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      for (let event = queue.shift(); event; event = queue.shift()) await deliver(event);
    } finally {
      running = false;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    enqueue(kind, data, time) {
      if (closed || !urlOf()) return;
      queue.push(storageCloudEvent(kind, data, time));
      // deliver() turns every delivery failure into a log line, so drain() only rejects if the log callback throws.
      if (!running) void drain();
    },
    whenIdle: () => (!running && queue.length === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    close() {
      closed = true;
      wake?.();
    },
  };
}
