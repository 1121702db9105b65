// `npm run bench`: every benchmark that exists, one after the other (they measure wall time, so
// never in parallel), then the figures report. A benchmark that fails is reported and the others
// still run; the exit code says whether all of them passed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const benches = ['backup.bench.ts', 'restore.bench.ts', 'history.bench.ts', 'cli.bench.ts', 'retention.bench.ts', 'fleet.bench.ts', 'service-restore.bench.ts'];

function tsx(file: string): number {
  const result = spawnSync('npx', ['tsx', file], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

let failed = 0;
// The CLI benchmark must measure the bundle users run, not the tsx fallback of a stale checkout.
if (spawnSync('node', ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) failed += 1;
for (const bench of benches) {
  const file = join('bench', bench);
  if (!existsSync(join(root, file))) {
    console.log(`\n== ${bench}: not present, skipped`);
    continue;
  }
  console.log(`\n== ${bench}`);
  const began = Date.now();
  const code = tsx(file);
  console.log(`== ${bench}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${Math.round((Date.now() - began) / 1000)} s`);
  if (code !== 0) failed += 1;
}
console.log('\n== report');
if (tsx(join('bench', 'report.ts')) !== 0) failed += 1;
process.exitCode = failed === 0 ? 0 : 1;
