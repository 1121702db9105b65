// The fleet audit's two shapes: the fleet file IT writes (which repositories to read, what to expect
// of them) and the report every face shows (CLI table/CSV/HTML, the technician screen). Imported by
// api.ts, so by the renderer too: no Node APIs here. Keep changes additive: the UI is built on it.
import { z } from 'zod';
import { failureCauses } from '../errors.js';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---- fleet file -------------------------------------------------------------------------------

const fleetId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'fleet.problem.id');
const isoDate = z.string().datetime({ offset: true });

/** A secret is never written in the fleet file, only where to find it. */
export const secretRefSchema = z.union([
  z.object({ env: z.string().min(1).max(256).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'fleet.problem.envName') }).strict(),
  /** A key of Cofre's secret store (e.g. `repo/financeiro/password`, or one set with `cofre secrets`). */
  z.object({ secret: z.string().min(1).max(256) }).strict(),
  z.object({ file: z.string().min(1).max(4096) }).strict(),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

/**
 * How often a backup is expected. `workdays`: Monday to Friday, so Friday's snapshot still covers
 * Saturday and Sunday and Monday morning's check is green. Days are calendar days in `timezone`.
 */
export const frequencySchema = z.union([
  z.enum(['daily', 'workdays', 'weekly']),
  z.object({ everyHours: z.number().int().min(1).max(24 * 366) }).strict(),
]);
export type Frequency = z.infer<typeof frequencySchema>;

/** What one plan (or a whole repository) should deliver. */
export const expectationSchema = z.object({
  frequency: frequencySchema.optional(),
  /** Hours past the due time before a missed backup counts (a machine switched on late). */
  graceHours: z.number().min(0).max(24 * 30).optional(),
}).strict();
export type Expectation = z.infer<typeof expectationSchema>;

export const fleetDefaultsSchema = z.object({
  frequency: frequencySchema.default('workdays'),
  graceHours: z.number().min(0).max(24 * 30).default(12),
  /** How many missed periods make a machine red (one missed period = amber). */
  overdueAfterMissed: z.number().int().min(1).max(60).default(2),
  /** Snapshots kept per machine and plan for the trend (and the HTML chart). */
  trendLength: z.number().int().min(2).max(100).default(10),
  /** A newest snapshot with this many percent fewer files (or bytes) than the one before raises an alert. */
  dropAlertPercent: z.number().min(1).max(100).default(30),
  /** IANA time zone that decides where a day begins (Prefeitura: America/Sao_Paulo). */
  /** Seconds to keep trying a server that does not answer before calling the repository unreachable. */
  unreachableAfterSeconds: z.number().int().min(1).max(600).default(20),
  timezone: z.string().min(1).max(64).refine(isTimeZone, 'fleet.problem.timezone').default('America/Sao_Paulo'),
}).strict();
export type FleetDefaults = z.infer<typeof fleetDefaultsSchema>;

export const fleetRepositorySchema = z.object({
  id: fleetId,
  department: z.string().min(1).max(120),
  /** restic repository, e.g. `rest:https://backup@backup.batatais.sp.gov.br/financeiro/`. No password inside. */
  uri: z.string().min(1).max(2048),
  password: secretRefSchema,
  /** Basic Auth of the REST server (nginx in front of rest-server); the user may also sit in the URI. */
  restUsername: secretRefSchema.optional(),
  restPassword: secretRefSchema.optional(),
  /** PEM file of a private CA (`restic --cacert`). */
  cacert: z.string().min(1).max(4096).optional(),
  /** The repository's default expectation (overrides the file's defaults). */
  expect: expectationSchema.optional(),
  /** Per plan id (Backrest's `plan:<id>` tag). */
  plans: z.record(fleetId, expectationSchema).optional(),
  /** Hosts that must report here: a listed host with no snapshot is shown as "never reported". */
  expectedHosts: z.array(z.string().min(1).max(255)).max(1000).optional(),
}).strict();
export type FleetRepository = z.infer<typeof fleetRepositorySchema>;

export const fleetFileSchema = z.object({
  version: z.literal(1),
  defaults: fleetDefaultsSchema.prefault({}),
  repositories: z.array(fleetRepositorySchema).min(1).max(1000),
}).strict().superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.repositories.forEach((repo, index) => {
    if (seen.has(repo.id)) ctx.addIssue({ code: 'custom', path: ['repositories', index, 'id'], message: 'fleet.problem.duplicateId' });
    seen.add(repo.id);
  });
});
export type FleetFile = z.infer<typeof fleetFileSchema>;

// ---- report -----------------------------------------------------------------------------------

/** ok = green, late = amber (one period missed), overdue = red, never = an expected host with no snapshot (red). */
export const machineStateSchema = z.enum(['ok', 'late', 'overdue', 'never']);
export type MachineState = z.infer<typeof machineStateSchema>;
export const colorSchema = z.enum(['green', 'amber', 'red']);
export type Color = z.infer<typeof colorSchema>;

export const fleetAlertSchema = z.object({
  /** files-drop / bytes-drop: the newest snapshot holds far less than the one before (deleted data, moved folder). */
  code: z.enum(['files-drop', 'bytes-drop', 'future-time']),
  /** Translated sentence for people. */
  message: z.string(),
  /** The drop in percent (files-drop, bytes-drop). */
  percent: z.number().optional(),
});
export type FleetAlert = z.infer<typeof fleetAlertSchema>;

export const trendPointSchema = z.object({
  time: isoDate,
  /** null: the snapshot has no summary (made by restic < 0.17). */
  files: z.number().nullable(),
  bytes: z.number().nullable(),
});
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const fleetMachineSchema = z.object({
  department: z.string(),
  repoId: z.string(),
  host: z.string(),
  /** Backrest's `plan:<id>` tag; null = snapshots without a plan tag ("(sem plano)"). */
  plan: z.string().nullable(),
  /** Backrest's `created-by:<instance>` tag of the newest snapshot. */
  createdBy: z.string().nullable(),
  state: machineStateSchema,
  color: colorSchema,
  /** Newest snapshot; null when the host never reported. */
  lastSnapshotId: z.string().nullable(),
  lastSnapshotAt: isoDate.nullable(),
  /** Hours since the newest snapshot (0 when its time lies in the future). */
  ageHours: z.number().nullable(),
  /** From the newest snapshot's summary (restic >= 0.17); null = unknown, shown as "—". */
  lastFiles: z.number().nullable(),
  lastBytes: z.number().nullable(),
  snapshotCount: z.number(),
  /** Oldest first, at most `trendLength` points. */
  trend: z.array(trendPointSchema),
  alerts: z.array(fleetAlertSchema),
  /** What was expected and when it became late / overdue (null for never-reported hosts). */
  frequency: frequencySchema,
  lateAt: isoDate.nullable(),
  overdueAt: isoDate.nullable(),
});
export type FleetMachine = z.infer<typeof fleetMachineSchema>;

export const fleetRepositoryResultSchema = z.object({
  id: z.string(),
  department: z.string(),
  /** The URI without any credentials. */
  uri: z.string(),
  readable: z.boolean(),
  cause: z.enum(failureCauses).nullable(),
  /** Translated cause and suggested action when the repository could not be read. */
  message: z.string().nullable(),
  action: z.string().nullable(),
  snapshotCount: z.number(),
  /** How the snapshots were obtained: fully listed, only new ones fetched, or the cache was still exact. */
  source: z.enum(['listed', 'incremental', 'cache', 'none']),
  durationMs: z.number(),
});
export type FleetRepositoryResult = z.infer<typeof fleetRepositoryResultSchema>;

export const fleetCountsSchema = z.object({
  repositories: z.number(),
  unreadable: z.number(),
  machines: z.number(),
  ok: z.number(),
  late: z.number(),
  overdue: z.number(),
  never: z.number(),
  alerts: z.number(),
});
export type FleetCounts = z.infer<typeof fleetCountsSchema>;

export const fleetDepartmentSchema = fleetCountsSchema.extend({
  name: z.string(),
  /** Worst colour of its machines and repositories (an unreadable repository is red). */
  color: colorSchema,
});
export type FleetDepartment = z.infer<typeof fleetDepartmentSchema>;

export const fleetReportSchema = z.object({
  generatedAt: isoDate,
  /** The fleet file that was read. */
  file: z.string(),
  timezone: z.string(),
  trendLength: z.number(),
  /** Set when the report was limited to one department. */
  department: z.string().nullable(),
  totals: fleetCountsSchema,
  departments: z.array(fleetDepartmentSchema),
  repositories: z.array(fleetRepositoryResultSchema),
  /** Sorted by department, then worst state first, then host and plan. */
  machines: z.array(fleetMachineSchema),
  /** One translated line: "3 de 40 máquinas atrasadas, 1 repositório ilegível". */
  summary: z.string(),
});
export type FleetReport = z.infer<typeof fleetReportSchema>;

export const fleetReportInputSchema = z.object({
  /** Ignore the snapshot cache and list every repository again. */
  refresh: z.boolean().optional(),
  /** Only this department (as written in the fleet file). */
  department: z.string().min(1).max(120).optional(),
}).strict();
export type FleetReportInput = z.infer<typeof fleetReportInputSchema>;
