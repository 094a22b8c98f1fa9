/**
 * `npm test`: every suite, in the order a failure is cheapest to find.
 *   1. check: typecheck (tsc + vue-tsc) and lint
 *   2. vitest, the unit projects in parallel, then the suites that start whole stacks one file at a time, TZ=UTC
 *   3. the time-dependent projects again in a zone with DST and a non-zero offset (America/Santiago)
 * Prints one closing line `tests: N passed, N failed, N skipped` summed over the Vitest runs.
 * Extra arguments go to Vitest (e.g. `npm test -- --project emulator`), and then the check step is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'node_modules', '.bin');
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
const extra = process.argv.slice(2);
const out = path.join(root, '.out');
mkdirSync(out, { recursive: true });

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}
const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps: string[] = [];

function run(step: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): boolean {
  console.log(`\n▶ ${step}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const ok = r.status === 0;
  if (!ok) failedSteps.push(step);
  return ok;
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

function vitest(step: string, args: string[], tz: string): void {
  const report = path.join(out, `vitest-${step}.json`);
  run(step, 'vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], {
    TZ: tz,
  });
  try {
    const j = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
  } catch {
    // No report means Vitest could not start: the step is already marked failed.
    failedSteps.push(`${step} (no report)`);
  }
}

/** Suites that start whole local stacks (engine, Auth and Functions emulators, Vite): one file at a time. */
const STACK_PROJECTS = ['scripts', 'e2e'];
const UNIT_PROJECTS = ['domain', 'emulator', 'functions', 'web', 'rules'];

if (extra.length === 0) {
  run('check', 'npm', ['run', 'check']);
  vitest('unit-utc', UNIT_PROJECTS.flatMap((p) => ['--project', p]), 'UTC');
  // Two stacks at once on 2 cores starve each other's Functions emulator workers (a 20-way booking race then
  // times out), so the stack suites never overlap.
  vitest('stacks-utc', [...STACK_PROJECTS.flatMap((p) => ['--project', p]), '--no-file-parallelism'], 'UTC');
  vitest('time-zones', ['--project', 'domain'], 'America/Santiago');
} else {
  vitest('selected', extra, 'UTC');
}

failedSteps = [...new Set(failedSteps)];
if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
