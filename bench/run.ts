/** `npm run bench`: runs every bench/*.ts (except this file) in turn and prints their figures. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = import.meta.dirname;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort()) {
  console.log(`\n== ${f}`);
  const r = spawnSync('tsx', [path.join(dir, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exitCode = 1;
}
