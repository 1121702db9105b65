// History store benchmark (not part of `npm test`): 100,000 operations in a real SQLite file, then
// the queries the faces run, timed p50/p95 over 100 runs each. Also times the 1,000-run scheduler
// simulation. Run: npx tsx bench/history.bench.ts  -> bench/results/history.json
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HistoryStore } from '../electron/core/history/store.js';
import type { FailureCause } from '../electron/core/errors.js';
import type { OperationStatus, OperationType } from '../electron/core/history/types.js';
import { simulateSchedule } from '../electron/core/schedule/simulate.js';

const total = 100_000;
const runs = 100;
const plans = Array.from({ length: 20 }, (_, i) => `plan-${i}`);
const repos = ['nas', 'usb', 'cloud'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function time(fn: () => unknown): { p50: number; p95: number; max: number } {
  for (let i = 0; i < 5; i += 1) fn(); // warm the statement cache and the page cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), max: round(samples[samples.length - 1]!) };
}

const dir = mkdtempSync(join(tmpdir(), 'cofre-history-bench-'));
try {
  const file = join(dir, 'history.sqlite');
  const store = new HistoryStore(file);
  const start = Date.parse('2025-03-01T00:00:00Z');
  const step = Math.floor((365 * 86_400_000) / total);
  // The first 10,000 one at a time, as the agent records them (record + finish, each its own
  // commit); the rest in batches of 10,000 to build the table quickly.
  const single = 10_000;
  const add = (i: number) => {
    const planId = plans[i % plans.length]!;
    const type: OperationType = i % 25 === 0 ? 'forget' : i % 97 === 0 ? 'check' : 'backup';
    const status: OperationStatus = i % 50 === 7 ? 'failure' : i % 13 === 0 ? 'warning' : 'success';
    const cause: FailureCause | undefined = status === 'failure' ? 'server-unreachable' : undefined;
    const startedAt = start + i * step;
    const id = store.record({ type, planId, repoId: repos[i % repos.length]!, trigger: 'schedule', startedAt });
    store.finish(id, {
      status, endedAt: startedAt + 90_000,
      summary: { filesNew: i % 40, filesChanged: i % 7, dataAdded: (i % 1000) * 1024, totalBytesProcessed: 5_000_000_000 + i },
      ...(cause ? { cause, message: 'The backup server cannot be reached.' } : {}),
    });
  };
  const insertStart = performance.now();
  for (let i = 0; i < single; i += 1) add(i);
  const insertMs = performance.now() - insertStart;
  const batchStart = performance.now();
  for (let from = single; from < total; from += 10_000) {
    store.batch(() => {
      for (let i = from; i < Math.min(total, from + 10_000); i += 1) add(i);
    });
  }
  const batchMs = performance.now() - batchStart;

  const queries = {
    latest50: time(() => store.list({ limit: 50 })),
    byPlan: time(() => store.list({ planId: 'plan-7', limit: 50 })),
    failures: time(() => store.list({ status: 'failure', limit: 50 })),
    byRepoAndType: time(() => store.list({ repoId: 'usb', type: 'forget', limit: 50 })),
    lastByPlan: time(() => store.lastByPlan()),
    lastByPlanConfigured: time(() => store.lastByPlan(plans.slice(0, 5))),
    offset5000: time(() => store.list({ limit: 50, offset: 5_000 })),
  };
  const pruneStart = performance.now();
  const pruned = store.prune({ keepDays: 365, keepMax: 90_000, now: new Date(start + 365 * 86_400_000) });
  const pruneMs = performance.now() - pruneStart;
  store.close();

  const simulation = simulateSchedule({ schedule: { cron: '*/15 * * * *' }, start: new Date('2026-03-10T00:00:00Z'), runs: 1000, jobDurationMs: 5 * 60_000 });
  const result = {
    when: new Date().toISOString(),
    node: process.version,
    operations: total,
    insertOneByOne: { operations: single, totalMs: Math.round(insertMs), perOperationUs: Math.round((insertMs * 1000) / single) },
    insertBatched: { operations: total - single, totalMs: Math.round(batchMs), perOperationUs: Math.round((batchMs * 1000) / (total - single)) },
    fileBytes: statSync(file).size,
    queriesMs: queries,
    prune: { removed: pruned, ms: Math.round(pruneMs) },
    scheduler1000Runs: {
      schedule: '*/15 * * * *', fired: simulation.fired, maxDriftMs: simulation.maxDriftMs, overlaps: simulation.overlaps,
      lost: simulation.lost, extra: simulation.extra, elapsedMs: Math.round(simulation.elapsedMs),
    },
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'history.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
