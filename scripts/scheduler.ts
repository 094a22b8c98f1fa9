/**
 * A local Cloud Scheduler for the Functions emulator. In production every `onSchedule` function (firebase-functions
 * v2) is an HTTP endpoint that Cloud Scheduler calls on its schedule; the emulator loads it but only hands it to its
 * Pub/Sub emulator, which needs Java and does not run here, so nothing would ever call it. This module reads the
 * loaded scheduled functions and their schedules from the emulator's `GET /backends`, and invokes each one on its
 * schedule through the emulator's trigger route (`POST /functions/projects/{project}/triggers/{key}`), with the
 * headers Cloud Scheduler sends. It knows nothing about any one job: every scheduled function we export is run.
 *
 * Decisions:
 * - Schedules: App Engine cron's "every N minutes|hours" (what onSchedule examples use) and 5-field Unix cron
 *   (`*`, lists, ranges, steps) evaluated in the job's time zone (UTC when unset). Anything else is reported when the
 *   job is loaded and the job is not run automatically (it can still be run on demand).
 * - One run of a job at a time: a tick that finds the previous run still going is skipped, as Cloud Scheduler does.
 * - The trigger key carries a generation that grows on each functions reload and `/backends` does not show; the
 *   emulator's 404 answer lists the valid keys, so the current key is learnt from it (as the trigger dispatcher does).
 */
import { utcToLocal, weekdayOf } from '../domain/src';
import { newestTriggerKey, type BackendsResponse } from '../emulator/src/triggers/dispatcher';

/** One scheduled function as the Functions emulator has loaded it. */
export interface ScheduledJob {
  /** The exported name, e.g. "bookingsExpireUnpaid". */
  name: string;
  /** The emulator's id: region and name, e.g. "us-central1-bookingsExpireUnpaid". */
  id: string;
  schedule: string;
  timeZone: string;
}


/**
 * The scheduled functions in a `/backends` answer.
 * @param body - the parsed answer
 */
export function jobsFromBackends(body: BackendsResponse): ScheduledJob[] {
  const out: ScheduledJob[] = [];
  for (const b of body.backends ?? []) {
    for (const t of b.functionTriggers ?? []) {
      const schedule = t.schedule?.schedule;
      const id = t.id ?? (t.region && t.name ? `${t.region}-${t.name}` : undefined);
      if (!schedule || !id || !t.name) continue;
      out.push({ name: t.name, id, schedule, timeZone: t.schedule?.timeZone ?? 'UTC' });
    }
  }
  return out;
}

const MINUTE_MS = 60_000;
const EVERY = /^every\s+(\d+)\s+(minute|minutes|mins|hour|hours)$/i;

/** A cron field as the set of values it allows. */
function cronField(field: string, min: number, max: number): Set<number> | null {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    if (step < 1 || from < min || to > max || from > to) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const WEEKDAY_NUMBER = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/**
 * When a schedule next fires strictly after `after`, or null when the schedule is not understood.
 * @param schedule - "every 5 minutes" or a 5-field cron expression
 * @param timeZone - the zone cron fields are read in
 * @param after - the instant to look after
 */
export function nextRun(schedule: string, timeZone: string, after: Date): Date | null {
  const every = EVERY.exec(schedule.trim());
  if (every) {
    const n = Number(every[1]);
    const unit = every[2]?.toLowerCase().startsWith('h') ? 60 : 1;
    if (n < 1) return null;
    const period = n * unit * MINUTE_MS;
    // On the clock's multiples of the period, so restarts do not drift the runs.
    return new Date((Math.floor(after.getTime() / period) + 1) * period);
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [mi, ho, dom, mo, dow] = fields as [string, string, string, string, string];
  const minutes = cronField(mi, 0, 59);
  const hours = cronField(ho, 0, 23);
  const days = cronField(dom, 1, 31);
  const months = cronField(mo, 1, 12);
  const weekdays = cronField(dow.replace(/\b7\b/g, '0'), 0, 6);
  if (!minutes || !hours || !days || !months || !weekdays) return null;
  // Cron's rule: when both day fields are restricted, either may match.
  const anyDay = dom === '*' || dow === '*';
  // Minute by minute in the zone, for at most a year: schedules fire far more often than that.
  let t = Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let i = 0; i < 366 * 24 * 60; i++, t += MINUTE_MS) {
    const local = utcToLocal(new Date(t), timeZone);
    const [, month, day] = local.date.split('-').map(Number) as [number, number, number];
    const [hour, minute] = local.time.split(':').map(Number) as [number, number];
    if (!minutes.has(minute) || !hours.has(hour) || !months.has(month)) continue;
    const weekday = WEEKDAY_NUMBER[weekdayOf(local.date)];
    const dayOk = anyDay ? days.has(day) && weekdays.has(weekday) : days.has(day) || weekdays.has(weekday);
    if (!dayOk) continue;
    // Walking real minutes, a wall time skipped by a DST jump is never met, and a repeated one fires twice, as in cron.
    return new Date(t);
  }
  return null;
}

/** How a run ended. */
export interface JobRun {
  job: string;
  status: number;
  ms: number;
}

export interface SchedulerOptions {
  /** The Functions emulator's base URL, e.g. http://127.0.0.1:5001. */
  functionsUrl: string;
  projectId: string;
  /** Invoke jobs on their schedules (default). false: only on demand (runJob). */
  auto?: boolean;
  /** How often the loaded functions are read again (a functions reload may add or remove jobs); default 10 s. */
  refreshMs?: number;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

export interface Scheduler {
  /** Reads the loaded scheduled functions again. */
  refresh(): Promise<ScheduledJob[]>;
  /** The jobs known at the last refresh. */
  jobs(): ScheduledJob[];
  /**
   * Runs one job now and resolves when it has finished.
   * @param name - the exported name (or the emulator's id)
   * @throws Error when no such job is loaded, or the function failed (non-2xx)
   */
  runJob(name: string): Promise<JobRun>;
  close(): void;
}

/**
 * Invokes a scheduled function once, as Cloud Scheduler would.
 * @param opts - the emulator and project
 * @param job - the job
 * @param keys - learnt trigger keys per job id (updated on a 404)
 * @param scheduleTime - sent as X-CloudScheduler-ScheduleTime
 * @throws Error when the function answers anything but 2xx
 */
export async function invokeJob(
  opts: Pick<SchedulerOptions, 'functionsUrl' | 'projectId'>,
  job: ScheduledJob,
  keys: Map<string, string>,
  scheduleTime: Date = new Date(),
): Promise<JobRun> {
  const started = Date.now();
  const post = (key: string) =>
    fetch(`${opts.functionsUrl}/functions/projects/${opts.projectId}/triggers/${key}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-CloudScheduler': 'true',
        'X-CloudScheduler-JobName': `firebase-schedule-${job.name}-${job.id.slice(0, job.id.length - job.name.length - 1)}`,
        'X-CloudScheduler-ScheduleTime': scheduleTime.toISOString(),
      },
      body: '{}',
    });
  let res = await post(keys.get(job.id) ?? job.id);
  if (res.status === 404) {
    const body = await res.text();
    const newest = newestTriggerKey(job.id, body);
    if (!newest) throw new Error(`The Functions emulator has no trigger for ${job.name}: ${body.slice(0, 200)}`);
    keys.set(job.id, newest);
    res = await post(newest);
  }
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) throw new Error(`${job.name} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return { job: job.name, status: res.status, ms: Date.now() - started };
}

/**
 * Starts the scheduler: loads the jobs, then runs each on its schedule until close().
 * @param opts - the emulator, project and behaviour
 */
export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const keys = new Map<string, string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<string>();
  let jobs: ScheduledJob[] = [];
  let closed = false;
  const auto = opts.auto ?? true;

  const run = async (job: ScheduledJob, at: Date): Promise<JobRun> => {
    running.add(job.id);
    try {
      const r = await invokeJob(opts, job, keys, at);
      opts.log?.('job-ran', { ...r });
      return r;
    } finally {
      running.delete(job.id);
    }
  };

  const plan = (job: ScheduledJob, after: Date): void => {
    const at = nextRun(job.schedule, job.timeZone, after);
    if (!at) {
      opts.log?.('job-schedule-not-understood', { job: job.name, schedule: job.schedule });
      return;
    }
    // setTimeout's bound is about 24.8 days: a later run is planned again when that timer fires.
    const wait = Math.min(Math.max(0, at.getTime() - Date.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      if (closed) return;
      if (Date.now() >= at.getTime()) {
        if (running.has(job.id)) opts.log?.('job-skipped-still-running', { job: job.name });
        else run(job, at).catch((e: unknown) => opts.log?.('job-failed', { job: job.name, error: e instanceof Error ? e.message : String(e) }));
      }
      plan(job, new Date(Math.max(Date.now(), at.getTime())));
    }, wait);
    timer.unref();
    timers.set(job.id, timer);
  };

  const refresh = async (): Promise<ScheduledJob[]> => {
    const r = await fetch(`${opts.functionsUrl}/backends`);
    if (!r.ok) throw new Error(`Functions emulator /backends answered ${r.status}`);
    const next = jobsFromBackends((await r.json()) as BackendsResponse);
    const key = (j: ScheduledJob) => `${j.id} ${j.schedule} ${j.timeZone}`;
    const was = new Set(jobs.map(key));
    const now = new Set(next.map(key));
    for (const j of jobs) {
      if (now.has(key(j))) continue;
      clearTimeout(timers.get(j.id));
      timers.delete(j.id);
    }
    if (auto && !closed) for (const j of next) if (!was.has(key(j))) plan(j, new Date());
    jobs = next;
    return jobs;
  };

  await refresh();
  const poll = setInterval(() => {
    refresh().catch((e: unknown) => opts.log?.('job-refresh-failed', { error: e instanceof Error ? e.message : String(e) }));
  }, opts.refreshMs ?? 10_000);
  poll.unref();

  return {
    refresh,
    jobs: () => [...jobs],
    async runJob(name: string): Promise<JobRun> {
      let job = jobs.find((j) => j.name === name || j.id === name);
      if (!job) job = (await refresh()).find((j) => j.name === name || j.id === name);
      if (!job) throw new Error(`No scheduled function named ${name}; loaded: ${jobs.map((j) => j.name).join(', ') || 'none'}`);
      return run(job, new Date());
    },
    close(): void {
      closed = true;
      clearInterval(poll);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
