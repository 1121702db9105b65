// Builds the fleet report: reads every repository of the fleet file (a few at a time), then turns
// each host/plan group into a machine row with its state against the expectation, its trend and
// its alerts, and sums them per department. Everything a person reads is translated here.
import { t, tPlural, type Locale, type MessageKey } from '../i18n/index.js';
import { assess, colorOf, type ResolvedExpectation } from './expectation.js';
import type { Groups, SnapshotGroup } from './groups.js';
import { failureOf, publicUri, readRepository, type ReaderDeps } from './reader.js';
import type {
  Color, FleetAlert, FleetCounts, FleetDefaults, FleetDepartment, FleetFile, FleetMachine, FleetReport, FleetRepository,
  FleetRepositoryResult, MachineState,
} from './schema.js';
import { CofreError } from '../errors.js';

export interface ReportDeps extends ReaderDeps {
  locale: Locale;
  now(): Date;
  /** Repositories read at once (default 4). */
  concurrency?: number;
}

export interface ReportOptions {
  file: string;
  refresh?: boolean;
  department?: string;
}

const HOUR = 3_600_000;
/** A snapshot this far in the future says the machine's clock is wrong. */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

const severity: Record<MachineState, number> = { never: 3, overdue: 2, late: 1, ok: 0 };
const colorRank: Record<Color, number> = { green: 0, amber: 1, red: 2 };

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, 'pt-BR', { sensitivity: 'base' }) === 0;
}

/** Runs `work` over `items` with at most `limit` at once, results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function expectationFor(repo: FleetRepository, plan: string | null, defaults: FleetDefaults): ResolvedExpectation {
  const planExpect = plan !== null ? repo.plans?.[plan] : undefined;
  return {
    frequency: planExpect?.frequency ?? repo.expect?.frequency ?? defaults.frequency,
    graceHours: planExpect?.graceHours ?? repo.expect?.graceHours ?? defaults.graceHours,
    overdueAfterMissed: defaults.overdueAfterMissed,
    timezone: defaults.timezone,
  };
}

function dropPercent(previous: number | null, current: number | null): number | null {
  if (previous === null || current === null || previous <= 0 || current >= previous) return null;
  return Math.round(((previous - current) / previous) * 1000) / 10;
}

export function alertsFor(group: SnapshotGroup, now: Date, defaults: FleetDefaults, locale: Locale): FleetAlert[] {
  const alerts: FleetAlert[] = [];
  const last = group.recent[group.recent.length - 1];
  const previous = group.recent[group.recent.length - 2];
  if (last && previous) {
    const files = dropPercent(previous.files, last.files);
    if (files !== null && files >= defaults.dropAlertPercent) {
      alerts.push({ code: 'files-drop', percent: files, message: t('fleet.alert.filesDrop', { percent: files, before: previous.files ?? 0, after: last.files ?? 0 }, locale) });
    }
    const bytes = dropPercent(previous.bytes, last.bytes);
    if (bytes !== null && bytes >= defaults.dropAlertPercent) {
      alerts.push({ code: 'bytes-drop', percent: bytes, message: t('fleet.alert.bytesDrop', { percent: bytes }, locale) });
    }
  }
  if (last && Date.parse(last.time) - now.getTime() > FUTURE_TOLERANCE_MS) {
    alerts.push({ code: 'future-time', message: t('fleet.alert.futureTime', undefined, locale) });
  }
  return alerts;
}

function machineOf(repo: FleetRepository, group: SnapshotGroup, defaults: FleetDefaults, now: Date, locale: Locale): FleetMachine {
  const expectation = expectationFor(repo, group.plan, defaults);
  const last = group.recent[group.recent.length - 1]!;
  const lastAt = new Date(last.time);
  const verdict = assess(lastAt, now, expectation);
  return {
    department: repo.department,
    repoId: repo.id,
    host: group.host,
    plan: group.plan,
    createdBy: last.createdBy,
    state: verdict.state,
    color: colorOf(verdict.state),
    lastSnapshotId: last.id,
    lastSnapshotAt: last.time,
    ageHours: Math.max(0, Math.round(((now.getTime() - lastAt.getTime()) / HOUR) * 10) / 10),
    lastFiles: last.files,
    lastBytes: last.bytes,
    snapshotCount: group.ids.length,
    trend: group.recent.map((s) => ({ time: s.time, files: s.files, bytes: s.bytes })),
    alerts: alertsFor(group, now, defaults, locale),
    frequency: expectation.frequency,
    lateAt: verdict.lateAt.toISOString(),
    overdueAt: verdict.overdueAt.toISOString(),
  };
}

function neverReported(repo: FleetRepository, host: string, plan: string | null, defaults: FleetDefaults): FleetMachine {
  return {
    department: repo.department, repoId: repo.id, host, plan, createdBy: null, state: 'never', color: 'red',
    lastSnapshotId: null, lastSnapshotAt: null, ageHours: null, lastFiles: null, lastBytes: null, snapshotCount: 0,
    trend: [], alerts: [], frequency: expectationFor(repo, plan, defaults).frequency, lateAt: null, overdueAt: null,
  };
}

/** Machine rows of one repository: its groups, plus expected hosts (and plans) that never reported. */
export function machinesOf(repo: FleetRepository, groups: Groups, defaults: FleetDefaults, now: Date, locale: Locale): FleetMachine[] {
  const machines = [...groups.values()].filter((g) => g.recent.length > 0).map((g) => machineOf(repo, g, defaults, now, locale));
  const expectedPlans = repo.plans ? Object.keys(repo.plans) : null;
  for (const host of repo.expectedHosts ?? []) {
    const hostGroups = [...groups.values()].filter((g) => sameName(g.host, host));
    if (expectedPlans) {
      for (const plan of expectedPlans) if (!hostGroups.some((g) => g.plan === plan)) machines.push(neverReported(repo, host, plan, defaults));
    } else if (hostGroups.length === 0) machines.push(neverReported(repo, host, null, defaults));
  }
  return machines;
}

function emptyCounts(): FleetCounts {
  return { repositories: 0, unreadable: 0, machines: 0, ok: 0, late: 0, overdue: 0, never: 0, alerts: 0 };
}

function countInto(counts: FleetCounts, machines: readonly FleetMachine[], repos: readonly FleetRepositoryResult[]): void {
  counts.repositories += repos.length;
  counts.unreadable += repos.filter((r) => !r.readable).length;
  counts.machines += machines.length;
  for (const m of machines) {
    counts[m.state] += 1;
    counts.alerts += m.alerts.length;
  }
}

export function summarize(totals: FleetCounts, locale: Locale): string {
  const parts: string[] = [];
  const late = totals.overdue + totals.never;
  parts.push(late === 0 && totals.late === 0
    ? tPlural('fleet.summary.allOk', totals.machines, {}, locale)
    : t('fleet.summary.states', { overdue: late, late: totals.late, machines: totals.machines }, locale));
  if (totals.unreadable > 0) parts.push(tPlural('fleet.summary.unreadable', totals.unreadable, {}, locale));
  if (totals.alerts > 0) parts.push(tPlural('fleet.summary.alerts', totals.alerts, {}, locale));
  return parts.join('; ');
}

function sortMachines(machines: FleetMachine[]): FleetMachine[] {
  return machines.sort((a, b) =>
    a.department.localeCompare(b.department, 'pt-BR')
    || severity[b.state] - severity[a.state]
    || a.host.localeCompare(b.host, 'pt-BR')
    || (a.plan ?? '').localeCompare(b.plan ?? '', 'pt-BR'));
}

export async function buildFleetReport(fleet: FleetFile, options: ReportOptions, deps: ReportDeps): Promise<FleetReport> {
  const { locale } = deps;
  let repositories = fleet.repositories;
  if (options.department !== undefined) {
    const wanted = options.department;
    repositories = repositories.filter((r) => sameName(r.department, wanted));
    if (repositories.length === 0) {
      const known = [...new Set(fleet.repositories.map((r) => r.department))].join(', ');
      throw new CofreError('fleet.unknownDepartment', { cause: 'invalid-input', params: { department: wanted, known } });
    }
  }
  const keep = fleet.defaults.trendLength;
  const read = await mapBounded(repositories, deps.concurrency ?? 4, async (repo) => {
    const started = Date.now();
    try {
      const result = await readRepository(repo, keep, options.refresh ?? false, { unreachableGiveUpMs: fleet.defaults.unreachableAfterSeconds * 1000, ...deps });
      return { repo, groups: result.groups, source: result.source, error: null, ms: Date.now() - started };
    } catch (error) {
      return { repo, groups: null, source: 'none' as const, error: failureOf(error), ms: Date.now() - started };
    }
  });
  // One "now" for the whole report: every age is measured from the same moment.
  const now = deps.now();
  const machines: FleetMachine[] = [];
  const results: FleetRepositoryResult[] = [];
  for (const r of read) {
    const repoMachines = r.groups ? machinesOf(r.repo, r.groups, fleet.defaults, now, locale) : [];
    machines.push(...repoMachines);
    const payload = r.error?.error.toPayload(locale);
    results.push({
      id: r.repo.id,
      department: r.repo.department,
      uri: publicUri(r.repo.uri),
      readable: r.error === null,
      cause: r.error?.cause ?? null,
      message: payload?.message ?? null,
      action: r.error ? fleetAction(r.error.error, r.error.cause, options.file, locale) : null,
      snapshotCount: repoMachines.reduce((sum, m) => sum + m.snapshotCount, 0),
      source: r.source,
      durationMs: r.ms,
    });
  }
  sortMachines(machines);

  const departmentNames = [...new Set(repositories.map((r) => r.department))].sort((a, b) => a.localeCompare(b, 'pt-BR'));
  const departments: FleetDepartment[] = departmentNames.map((name) => {
    const counts = emptyCounts();
    const own = machines.filter((m) => m.department === name);
    const repos = results.filter((r) => r.department === name);
    countInto(counts, own, repos);
    let color: Color = 'green';
    for (const m of own) if (colorRank[m.color] > colorRank[color]) color = m.color;
    if (counts.unreadable > 0) color = 'red';
    return { name, ...counts, color };
  });
  const totals = emptyCounts();
  countInto(totals, machines, results);
  return {
    generatedAt: now.toISOString(),
    file: options.file,
    timezone: fleet.defaults.timezone,
    trendLength: keep,
    department: options.department ?? null,
    totals,
    departments,
    repositories: results,
    machines,
    summary: summarize(totals, locale),
  };
}

const fleetActions: ReadonlySet<string> = new Set(['wrong-password', 'auth-refused', 'auth-missing', 'server-unreachable', 'no-repository', 'tls-untrusted']);

/**
 * What to do about an unreadable repository, said for the fleet: the fix is in the fleet file or
 * on the server, not in this machine's settings (which the causes' own actions talk about).
 */
function fleetAction(error: CofreError, cause: string, file: string, locale: Locale): string | null {
  if (error.code.startsWith('fleet.')) return t('fleet.fixFleetFile', { file }, locale);
  if (fleetActions.has(cause)) return t(`fleet.action.${cause}` as MessageKey, undefined, locale);
  return error.toPayload(locale).action ?? null;
}

/** The key of a machine state's label (table, CSV, HTML). */
export function stateKey(state: MachineState): MessageKey {
  return `fleet.state.${state}` as MessageKey;
}
