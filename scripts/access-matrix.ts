/**
 * Prints the access matrix: runs tests/rules/access-matrix.test.ts (every collection × actor × get/list/create/
 * update/delete against the real firestore.rules), reads the .out/access-matrix.json it writes, and prints one row per
 * collection with one column group per actor. Exit code 1 when any cell's outcome differs from the spec's.
 *
 *   npx tsx scripts/access-matrix.ts             run the suite, then print
 *   npx tsx scripts/access-matrix.ts --no-run    print the last run's JSON
 *   npx tsx scripts/access-matrix.ts --verbose   show Vitest's own output while it runs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const JSON_PATH = path.join(ROOT, '.out', 'access-matrix.json');
const SUITE = 'tests/rules/access-matrix.test.ts';

const OPS = ['get', 'list', 'create', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];
const OP_LETTER: Record<Op, string> = { get: 'G', list: 'L', create: 'C', update: 'U', delete: 'D' };
const OUTCOMES = ['allow', 'deny', 'error'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** One cell as the suite records it. */
interface Cell {
  collection: string;
  actor: string;
  op: Op;
  expected: Outcome;
  actual: Outcome;
}

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && list.some((x) => x === v);

function isCell(v: unknown): v is Cell {
  return (
    typeof v === 'object' &&
    v !== null &&
    'collection' in v &&
    typeof v.collection === 'string' &&
    'actor' in v &&
    typeof v.actor === 'string' &&
    'op' in v &&
    isOneOf(OPS, v.op) &&
    'expected' in v &&
    isOneOf(OUTCOMES, v.expected) &&
    'actual' in v &&
    isOneOf(OUTCOMES, v.actual)
  );
}

/** Vitest's summary lines ("Test Files …", "Tests …"), without colours. */
function summaryOf(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return plain
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(Test Files|Tests)\s/.test(l));
}

/**
 * Runs the matrix suite; returns false when it did not produce a fresh JSON.
 * @param verbose - let Vitest print everything
 */
function runSuite(verbose: boolean): boolean {
  const vitest = path.join(ROOT, 'node_modules', '.bin', 'vitest');
  const started = Date.now();
  console.log(`running ${SUITE} …`);
  const r = spawnSync(vitest, ['run', '--project', 'rules', SUITE], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) {
    console.error(`could not start Vitest: ${r.error.message}`);
    return false;
  }
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  for (const line of summaryOf(output)) console.log(`  ${line}`);
  const fresh = existsSync(JSON_PATH) && statSync(JSON_PATH).mtimeMs >= started - 1000;
  if (!fresh) {
    if (!verbose) console.error(output);
    console.error(`Vitest exited with ${r.status ?? r.signal ?? '?'} and wrote no ${path.relative(ROOT, JSON_PATH)}`);
  }
  return fresh;
}

function readCells(): Cell[] {
  const parsed: unknown = JSON.parse(readFileSync(JSON_PATH, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${JSON_PATH} is not an array`);
  const bad = parsed.findIndex((c) => !isCell(c));
  if (bad >= 0) throw new Error(`${JSON_PATH}: entry ${bad} is not { collection, actor, op, expected, actual }`);
  return parsed.filter(isCell);
}

/** 'assignedSpecialist' → 'assignedS', 'otherClinicStaff' → 'otherCS': short enough for a column of five ops. */
function abbreviate(actor: string, width: number): string {
  const [first = '', ...rest] = actor.split(/(?=[A-Z])/);
  return `${first}${rest.map((w) => w.charAt(0)).join('')}`.slice(0, width);
}

const unique = (values: string[]) => [...new Set(values)];

function printTable(cells: Cell[]): number {
  const collections = unique(cells.map((c) => c.collection));
  const actors = unique(cells.map((c) => c.actor));
  const byKey = new Map(cells.map((c) => [`${c.collection}\u0000${c.actor}\u0000${c.op}`, c]));
  const groupWidth = OPS.length * 2 - 1;
  const nameWidth = Math.max(10, ...collections.map((c) => c.length)) + 2;
  const gap = '  ';

  const symbol = (c: Cell | undefined): string => {
    if (!c) return ' ';
    if (c.actual !== c.expected) return '✗';
    return c.actual === 'allow' ? '✓' : '·';
  };

  console.log('');
  console.log(`${''.padEnd(nameWidth)}${actors.map((a) => abbreviate(a, groupWidth).padEnd(groupWidth)).join(gap)}`);
  console.log(`${'collection'.padEnd(nameWidth)}${actors.map(() => OPS.map((o) => OP_LETTER[o]).join(' ')).join(gap)}`);
  for (const collection of collections) {
    const groups = actors.map((actor) =>
      OPS.map((op) => symbol(byKey.get(`${collection}\u0000${actor}\u0000${op}`))).join(' '),
    );
    console.log(`${collection.padEnd(nameWidth)}${groups.join(gap)}`);
  }

  const mismatches = cells.filter((c) => c.actual !== c.expected);
  console.log('');
  console.log(
    'legend: ✓ allowed   · denied   ✗ actual ≠ expected (the spec)   G get  L list  C create  U update  D delete',
  );
  console.log(`actors: ${actors.map((a) => `${abbreviate(a, groupWidth)} = ${a}`).join(', ')}`);
  if (mismatches.length > 0) {
    console.log('');
    console.log('mismatches:');
    for (const m of mismatches)
      console.log(`  ✗ ${m.collection} · ${m.actor} · ${m.op}: expected ${m.expected}, got ${m.actual}`);
  }
  console.log('');
  console.log(`${cells.length} cells, ${mismatches.length} mismatches`);
  return mismatches.length;
}

function main(): number {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--no-run' && a !== '--verbose');
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown.join(' ')}; use --no-run or --verbose`);
    return 2;
  }
  if (!args.includes('--no-run') && !runSuite(args.includes('--verbose'))) return 2;
  if (!existsSync(JSON_PATH)) {
    console.error(`${path.relative(ROOT, JSON_PATH)} does not exist: run without --no-run first`);
    return 2;
  }
  return printTable(readCells()) > 0 ? 1 : 0;
}

process.exit(main());
