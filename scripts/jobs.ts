/**
 * Runs one scheduled function now against a running stack (`npm start`), as its schedule would:
 *   npm run jobs                          lists the scheduled functions the Functions emulator has loaded
 *   npm run jobs -- bookingsExpireUnpaid  runs that one and waits for it to finish
 * The Functions emulator is found at FUNCTIONS_EMULATOR_URL, or at the default port of `npm start`.
 */
import { DEFAULT_PORTS, PROJECT_ID } from './stack';
import { startScheduler, type Scheduler } from './scheduler';

async function main(): Promise<void> {
  const functionsUrl = process.env.FUNCTIONS_EMULATOR_URL ?? `http://127.0.0.1:${DEFAULT_PORTS.functions}`;
  const name = process.argv[2];
  let scheduler: Scheduler;
  try {
    // On demand only: this process must not start running jobs on their schedules beside the stack's scheduler.
    scheduler = await startScheduler({ functionsUrl, projectId: process.env.GCLOUD_PROJECT ?? PROJECT_ID, auto: false });
  } catch (e) {
    throw new Error(`No Functions emulator at ${functionsUrl} (is \`npm start\` running?): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    if (!name) {
      const jobs = scheduler.jobs();
      console.log(jobs.length ? jobs.map((j) => `${j.name}\t${j.schedule} (${j.timeZone})`).join('\n') : 'No scheduled functions are loaded.');
      return;
    }
    const run = await scheduler.runJob(name);
    console.log(`${run.job}: ${run.status} in ${run.ms} ms`);
  } finally {
    scheduler.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
