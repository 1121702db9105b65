// `npm run report`: the reliability and performance figures in one Markdown table, from what the
// test suite recorded (test-results/figures.jsonl, one JSON line per measurement) and what the
// benchmarks wrote (bench/results/*.json). Anything missing shows as "not run" rather than failing,
// so the table can be produced after a partial run. Writes bench/results/report.md and stdout.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const notRun = 'not run';

export interface FigureLine {
  table: string;
  name?: string;
  at?: string;
  [key: string]: unknown;
}

/** Reads figures.jsonl; keeps the latest line per (table, name) so re-runs replace older rows. */
export function readFigures(file: string): FigureLine[] {
  if (!existsSync(file)) return [];
  const latest = new Map<string, FigureLine>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const raw = JSON.parse(line) as Record<string, unknown>;
      // `group` is accepted as an older spelling of `table`.
      const table = typeof raw.table === 'string' ? raw.table : typeof raw.group === 'string' ? raw.group : undefined;
      if (!table) continue;
      const figure = { ...raw, table } as FigureLine;
      latest.set(`${table}\u0000${figure.name ?? ''}`, figure);
    } catch {
      // a half-written line from an interrupted run: skip it
    }
  }
  return [...latest.values()];
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const sum = (rows: FigureLine[], key: string): number => rows.reduce((total, row) => total + (num(row[key]) ?? 0), 0);
const fmt = (value: number | null, digits = 0): string => (value === null ? notRun : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (value: unknown): string => {
  const n = num(value);
  if (n === null) return notRun;
  return n > 0 && n < 0.1 ? `${fmt(1 / n)}x faster` : `${n.toFixed(3)}x`;
};
const verdict = (ok: boolean | null): string => (ok === null ? notRun : ok ? 'green' : '**RED**');

interface Row {
  area: string;
  figure: string;
  value: string;
  status: string;
}

export function buildRows(figures: FigureLine[], results: Record<string, Record<string, unknown> | null>): Row[] {
  const rows: Row[] = [];
  const byTable = (table: string) => figures.filter((f) => f.table === table);
  const find = (table: string, pattern: RegExp) => byTable(table).find((f) => pattern.test(String(f.name ?? '')));

  // Faults
  const faults = byTable('faults');
  if (faults.length === 0) rows.push({ area: 'Faults', figure: 'injected / survived', value: notRun, status: notRun });
  else {
    const injected = sum(faults, 'injected');
    const survived = sum(faults, 'survived');
    rows.push({ area: 'Faults', figure: `injected / survived (${faults.length} scenarios)`, value: `${injected} / ${survived}`, status: verdict(injected > 0 && injected === survived) });
  }

  // Bad input
  const bad = byTable('bad-input');
  const fuzz = bad.filter((f) => num(f.tried) !== null && !/hostile/i.test(String(f.name)));
  if (fuzz.length === 0) rows.push({ area: 'Bad input', figure: 'tried / crashes / 5xx', value: notRun, status: notRun });
  for (const f of fuzz) {
    const tried = num(f.tried) ?? 0;
    const crashes = num(f.crashes) ?? 0;
    const fiveXX = num(f.fiveXX) ?? 0;
    const badErrors = num(f.badErrors) ?? 0;
    rows.push({
      area: 'Bad input', figure: `${f.name ?? 'fuzz'}: tried / crashes / 5xx${f.seed !== undefined ? ` (seed ${String(f.seed)})` : ''}`,
      value: `${fmt(tried)} / ${crashes} / ${fiveXX}`, status: verdict(tried > 0 && crashes === 0 && fiveXX === 0 && badErrors === 0),
    });
  }
  const hostile = bad.filter((f) => /hostile/i.test(String(f.name)));
  rows.push(hostile.length === 0
    ? { area: 'Bad input', figure: 'hostile names round-trip byte-identical', value: notRun, status: notRun }
    : { area: 'Bad input', figure: 'hostile names round-trip byte-identical', value: hostile.map((h) => String(h.name).replace(/^.*\((restic [^)]+)\).*$/, '$1')).join(', '), status: verdict(hostile.every((h) => (num(h.crashes) ?? 0) === 0)) });

  // Load
  const big = find('load', /files/);
  rows.push(big
    ? { area: 'Load', figure: `backup of ${fmt(num(big.files))} files: peak RSS agent / restic`, value: `${fmt(num(big.agentPeakRssMb))} MB / ${fmt(num(big.resticPeakRssMb))} MB (${fmt(num(big.seconds))} s)`, status: verdict(big.status === 'success' && (num(big.agentPeakRssMb) ?? Infinity) < 300) }
    : { area: 'Load', figure: 'backup of 200,000 files: peak RSS agent / restic', value: notRun, status: notRun });
  const storm = find('load', /trigger/);
  rows.push(storm
    ? { area: 'Load', figure: `${fmt(num(storm.triggers))} simultaneous "back up now" -> jobs / history rows / snapshots`, value: `${fmt(num(storm.jobs))} / ${fmt(num(storm.historyRows))} / ${fmt(num(storm.snapshots))}`, status: verdict(storm.jobs === 1 && storm.historyRows === 1 && storm.snapshots === 1) }
    : { area: 'Load', figure: '50 simultaneous "back up now" -> jobs', value: notRun, status: notRun });
  const runs = find('load', /scheduled runs/);
  rows.push(runs
    ? { area: 'Load', figure: `${fmt(num(runs.runs))} scheduled runs: max drift / overlaps / lost`, value: `${fmt(num(runs.maxDriftMs))} ms / ${fmt(num(runs.overlaps))} / ${fmt(num(runs.lost))}`, status: verdict(runs.maxDriftMs === 0 && runs.overlaps === 0 && runs.lost === 0 && (runs.extra ?? 0) === 0) }
    : { area: 'Load', figure: '1,000 scheduled runs: drift / overlap / lost', value: notRun, status: notRun });

  // Security (recorded by the security helper's tests, when present)
  const security = byTable('security');
  if (security.length > 0) {
    const leaks = sum(security, 'leaks');
    rows.push({ area: 'Security', figure: `secret scans (${security.length}): items scanned / leaks`, value: `${fmt(sum(security, 'itemsScanned'))} / ${leaks}`, status: verdict(leaks === 0) });
  }

  // Hardening (issue 15): fault, scope and secret classes, each row "cases tried / held"
  const hardening = byTable('hardening');
  const kinds: Array<[string, string]> = [['fault', 'faults survived'], ['scope', 'scope cases tried'], ['secret', 'secret classes scanned']];
  for (const [kind, label] of kinds) {
    const lines = hardening.filter((f) => f.kind === kind);
    if (lines.length === 0) {
      rows.push({ area: 'Hardening', figure: `${label}: tried / held`, value: notRun, status: notRun });
      continue;
    }
    const tried = sum(lines, 'tried');
    const held = sum(lines, 'held');
    rows.push({ area: 'Hardening', figure: `${label} (${lines.length} classes): tried / held`, value: `${fmt(tried)} / ${fmt(held)}`, status: verdict(tried > 0 && tried === held) });
  }
  const bigRequest = hardening.find((f) => /480k keys/.test(String(f.name ?? '')));
  if (bigRequest) {
    rows.push({ area: 'Hardening', figure: 'authenticated 5.6 MB request with 480k unknown keys: reply / CPU', value: `${fmt(num(bigRequest.replyBytes))} B / ${fmt(num(bigRequest.cpuMs))} ms`, status: verdict((num(bigRequest.replyBytes) ?? Infinity) < 2_000) });
  }

  // Benchmarks against raw restic
  const backup = results.backup;
  const backupRatio = (backup?.ratio as { median?: number } | undefined)?.median;
  rows.push({ area: 'Benchmark', figure: `engine backup / raw restic, median${backup?.files ? ` (${fmt(num(backup.files))} files)` : ''}`, value: ratio(backupRatio), status: num(backupRatio) === null ? notRun : verdict((backupRatio as number) <= 1.03) });
  const cli = results.cli;
  const cliFirst = (cli?.firstRatio as { median?: number } | undefined)?.median;
  const cliIncr = (cli?.incrementalRatio as { median?: number } | undefined)?.median;
  if (cli) rows.push({ area: 'Benchmark', figure: '`cofre backup` CLI / raw restic, median first / incremental', value: `${ratio(cliFirst)} / ${ratio(cliIncr)}`, status: 'measured' });
  const retention = results.retention;
  const retentionRatio = (retention?.ratio as { median?: number } | undefined)?.median;
  rows.push({
    area: 'Benchmark',
    figure: `\`cofre backup\` with retention / raw restic backup + forget, median${retention?.files ? ` (${fmt(num(retention.files))} files, rest-server)` : ''}`,
    value: ratio(retentionRatio),
    status: num(retentionRatio) === null ? notRun : verdict((retentionRatio as number) <= 1.1),
  });
  const restore = results.restore;
  const restoreRows = (restore?.rows as Array<{ metric: string; cofre: number; restic: number; ratio: number; goal: string }> | undefined) ?? [];
  if (restoreRows.length === 0) rows.push({ area: 'Benchmark', figure: 'restore: listing / search / restore / index vs raw restic', value: notRun, status: notRun });
  for (const r of restoreRows) {
    rows.push({ area: 'Benchmark', figure: `restore: ${r.metric}`, value: `${fmt(r.cofre, 1)} vs ${fmt(r.restic, 1)} (${ratio(r.ratio)})`, status: restoreGoalMet(r) });
  }
  const fleet = results.fleet;
  const fleetRows = (fleet?.rows as Array<{ run: string; cofreMs: number; rawMs: number; ratio: number; cofrePeakRssMb: number; rawPeakRssMb: number }> | undefined) ?? [];
  const fleetSize = fleet?.size as { repositories?: number; hosts?: number; snapshotsPerHost?: number } | undefined;
  if (fleetRows.length === 0) rows.push({ area: 'Benchmark', figure: '`cofre fleet --json` vs raw restic snapshots (cold / warm)', value: notRun, status: notRun });
  for (const r of fleetRows) {
    rows.push({
      area: 'Benchmark',
      figure: `\`cofre fleet --json\` ${r.run} vs raw \`restic snapshots --json\`${fleetSize ? ` (${fleetSize.repositories} x ${fleetSize.hosts} x ${fleetSize.snapshotsPerHost})` : ''}: time / peak RSS`,
      value: `${fmt(r.cofreMs / 1000, 1)} s vs ${fmt(r.rawMs / 1000, 1)} s (${ratio(r.ratio)}); ${fmt(r.cofrePeakRssMb)} MB vs ${fmt(r.rawPeakRssMb)} MB`,
      status: 'measured',
    });
  }
  const service = results['service-restore'];
  const serviceRatios = service?.ratios as Record<string, number> | undefined;
  const servicePhase = (key: string) => service?.[key] as { totalMs?: number; placementFilesPerSecond?: number } | undefined;
  if (!service || !serviceRatios) rows.push({ area: 'Benchmark', figure: 'service restore as the user vs in-process vs raw restic', value: notRun, status: notRun });
  else {
    const [asUser, inProcess, replace] = [servicePhase('asUser'), servicePhase('inProcess'), servicePhase('replace')];
    rows.push({
      area: 'Benchmark',
      figure: `service restore of a folder as the user / in-process / raw \`restic restore\` (${fmt(num(service.files))} files, median of ${fmt(num(service.runs))}): ms, c/a, c/b`,
      value: `${fmt(num(asUser?.totalMs))} / ${fmt(num(inProcess?.totalMs))} / ${fmt(num(service.rawMs))} ms (${ratio(serviceRatios.asUserOverRaw)}, ${ratio(serviceRatios.asUserOverInProcess)})`,
      status: 'measured',
    });
    rows.push({
      area: 'Benchmark',
      figure: "service restore as the user with 'replace' over a changed copy (two moves a file) / in-process restore: ratio, files placed per second",
      value: `${ratio(serviceRatios.replaceOverInProcess)}, ${fmt(num(replace?.placementFilesPerSecond))} files/s`,
      status: 'measured',
    });
  }
  const history = results.history;
  const queries = history?.queriesMs as Record<string, { p95?: number }> | undefined;
  if (history && queries) {
    const worst = Math.max(...Object.values(queries).map((q) => q.p95 ?? 0));
    rows.push({ area: 'Benchmark', figure: `history: slowest query p95 with ${fmt(num(history.operations))} operations`, value: `${fmt(worst, 1)} ms`, status: 'measured' });
  } else rows.push({ area: 'Benchmark', figure: 'history queries', value: notRun, status: notRun });
  return rows;
}

/** The restore bench states its goals in words; the ones with a number are checked here. */
function restoreGoalMet(row: { metric: string; cofre: number; ratio: number; goal: string }): string {
  const ms = /<=\s*([\d.]+)\s*ms/.exec(row.goal);
  const times = /<=\s*([\d.]+)x/.exec(row.goal);
  const faster = />=\s*([\d.]+)x faster/.exec(row.goal);
  let ok = true;
  if (ms) ok &&= row.cofre <= Number(ms[1]);
  if (times) ok &&= row.ratio <= Number(times[1]);
  if (faster) ok &&= row.ratio <= 1 / Number(faster[1]);
  return ms || times || faster ? verdict(ok) : 'measured';
}

export function renderMarkdown(rows: Row[], when: Date): string {
  const lines = [
    `# Cofre: reliability and performance figures`,
    '',
    `Generated ${when.toISOString()} by \`npm run report\` from test-results/figures.jsonl and bench/results/*.json.`,
    '',
    '| Area | Figure | Value | Status |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.area} | ${r.figure.replaceAll('|', '\\|')} | ${r.value.replaceAll('|', '\\|')} | ${r.status} |`),
    '',
  ];
  return lines.join('\n');
}

function main(): void {
  const figures = readFigures(join(root, 'test-results', 'figures.jsonl'));
  const results = Object.fromEntries(['backup', 'cli', 'retention', 'restore', 'history', 'fleet', 'service-restore'].map((name) => [name, readJson(join(root, 'bench', 'results', `${name}.json`))]));
  const markdown = renderMarkdown(buildRows(figures, results), new Date());
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'report.md'), markdown);
  process.stdout.write(markdown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
