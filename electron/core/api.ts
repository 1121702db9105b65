// The one contract shared by every face: Electron IPC, the HTTP server, the CLI and the renderer's
// client are all derived from `api` and `apiEvents` below. Adding a method = one entry here plus its
// handler in the Agent. Inputs are parsed with their schema at the boundary (`Agent.call`); the core
// trusts only parsed values. This module is imported by the renderer too: keep it free of Node APIs.
import { z } from 'zod';
import { configSchema, repoSchema, retentionSchema, scheduleSchema } from './config/backrest-schema.js';
import { failureCauses } from './errors.js';
import { fleetReportInputSchema, fleetReportSchema } from './fleet/schema.js';
import { locales } from './i18n/index.js';

// ---- shared pieces ----------------------------------------------------------------------------

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/);
const snapshotId = z.string().regex(/^[0-9a-f]{8,64}$/, 'must be a snapshot id (hex)');
const isoDate = z.string().datetime({ offset: true });
/** Absolute path inside a snapshot or on disk (POSIX form or Windows drive form). No NUL, no `..` segment. */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".."');

export const failureCauseSchema = z.enum(failureCauses);
export const localeSchema = z.enum(locales);
const paging = { limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).max(10_000_000).default(0) };

export const errorPayloadSchema = z.object({
  code: z.string(),
  message: z.string(),
  action: z.string().optional(),
  cause: failureCauseSchema.optional(),
  detail: z.string().optional(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const capabilitySwitchesSchema = z.object({
  backupNow: z.boolean(),
  pause: z.boolean(),
  quit: z.boolean(),
  restore: z.boolean(),
  restoreOutsideHome: z.boolean(),
  overwriteOnRestore: z.boolean(),
  openSettings: z.boolean(),
});
export type CapabilitySwitches = z.infer<typeof capabilitySwitchesSchema>;

export const planStateSchema = z.enum(['ok', 'running', 'warning', 'failed', 'overdue', 'paused', 'never']);
export const healthSchema = z.enum(['ok', 'running', 'warning', 'failed', 'overdue', 'paused', 'not-configured']);

export const backupProgressSchema = z.object({
  percentDone: z.number(),
  totalFiles: z.number(),
  filesDone: z.number(),
  totalBytes: z.number(),
  bytesDone: z.number(),
  secondsElapsed: z.number(),
  secondsRemaining: z.number().optional(),
  currentFiles: z.array(z.string()),
  errorCount: z.number(),
});

export const planStatusSchema = z.object({
  planId: z.string(),
  repoId: z.string(),
  paths: z.array(z.string()),
  state: planStateSchema,
  lastSuccessAt: isoDate.nullable(),
  lastAttemptAt: isoDate.nullable(),
  lastOutcome: z.enum(['success', 'warning', 'failure', 'cancelled', 'interrupted']).nullable(),
  lastCause: failureCauseSchema.nullable(),
  lastMessage: z.string().nullable(),
  lastBackupBytes: z.number().nullable(),
  nextRunAt: isoDate.nullable(),
  overdue: z.boolean(),
  managed: z.boolean(),
  running: z.object({
    jobId: z.string(),
    progress: backupProgressSchema.nullable(),
    /** Set while the backup waits out a transient problem (server unreachable, repository locked) and will retry. */
    retryCause: failureCauseSchema.nullable().optional(),
    /** Set while the backup waits between attempts: the next attempt's number and time. */
    retry: z.object({ attempt: z.number(), maxAttempts: z.number(), nextAttemptAt: isoDate }).nullable().optional(),
    /** Which automatic attempt is running (1-based) out of how many, while it struggles with a transient cause. */
    attempt: z.object({ current: z.number(), max: z.number() }).nullable().optional(),
  }).nullable(),
  /** A recorded time was in the future (clock ran ahead); the times shown were clamped to now. */
  clockSkew: z.boolean().optional(),
  /** Display name the technician gave the plan (Cofre's sidecar, not config.json); null = none, show the id made readable. */
  label: z.string().nullable().optional(),
  /** The last backup failed after using every automatic attempt (this many); the next try is the schedule's. */
  gaveUpAfterAttempts: z.number().nullable().optional(),
});
export type PlanStatus = z.infer<typeof planStatusSchema>;

export const agentStatusSchema = z.object({
  health: healthSchema,
  cause: failureCauseSchema.nullable(),
  causePlanId: z.string().nullable(),
  pausedUntil: isoDate.nullable(),
  plans: z.array(planStatusSchema),
  generatedAt: isoDate,
  /** Some plan's recorded times were in the future and were clamped (see PlanStatus.clockSkew). */
  clockSkew: z.boolean().optional(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** The one list of job kinds: the queue (jobs/types.ts), history rows (history/types.ts) and every face use it. */
export const jobKinds = ['backup', 'forget', 'prune', 'check', 'restore', 'index', 'unlock', 'init'] as const;
export type JobKind = (typeof jobKinds)[number];
export const jobKindSchema = z.enum(jobKinds);
/** What started a job: a person (manual), a face (cli, api), or the scheduler (schedule, catch-up of a missed slot). */
export const jobTriggers = ['manual', 'schedule', 'catch-up', 'cli', 'api'] as const;
export type JobTrigger = (typeof jobTriggers)[number];
export const jobInfoSchema = z.object({
  jobId: z.string(),
  kind: jobKindSchema,
  planId: z.string().nullable(),
  repoId: z.string(),
  state: z.enum(['queued', 'running']),
  startedAt: isoDate.nullable(),
});

export const operationSchema = z.object({
  id: z.number(),
  type: z.string(),
  planId: z.string().nullable(),
  repoId: z.string(),
  snapshotId: z.string().nullable(),
  status: z.enum(['pending', 'running', 'success', 'warning', 'failure', 'cancelled', 'interrupted']),
  trigger: z.string(),
  startedAt: isoDate,
  endedAt: isoDate.nullable(),
  durationMs: z.number().nullable(),
  bytesAdded: z.number().nullable(),
  totalBytes: z.number().nullable(),
  cause: failureCauseSchema.nullable(),
  message: z.string().nullable(),
  detail: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()).nullable(),
});
export type Operation = z.infer<typeof operationSchema>;

export const snapshotSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  time: z.string(),
  hostname: z.string(),
  username: z.string(),
  paths: z.array(z.string()),
  tags: z.array(z.string()),
  planId: z.string().nullable(),
  repoId: z.string(),
  indexed: z.boolean(),
});
export type SnapshotInfo = z.infer<typeof snapshotSchema>;

export const entrySchema = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(['file', 'dir', 'symlink', 'other']),
  size: z.number(),
  mtime: z.string(),
});
export type Entry = z.infer<typeof entrySchema>;

export const conflictPolicySchema = z.enum(['keep-both', 'replace', 'skip']);
export const restoreDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('original') }),
  z.object({ kind: z.literal('folder'), path: absolutePath }),
]);
export const restoreReportSchema = z.object({
  restored: z.number(),
  unchanged: z.number(),
  keptBoth: z.number(),
  skipped: z.number(),
  replaced: z.number(),
  failed: z.array(z.object({ path: z.string(), reason: z.string() })),
  destination: z.string(),
  replacedFolder: z.string().nullable(),
});
export type RestoreReport = z.infer<typeof restoreReportSchema>;

/** What retention did after a backup (also kept as `summary.retention` in the backup's history row). */
export const retentionOutcomeSchema = z.object({
  status: z.enum(['success', 'warning', 'failure', 'cancelled']),
  removed: z.number(),
  kept: z.number(),
  managedByServer: z.boolean(),
  cause: failureCauseSchema.nullable(),
  message: z.string().nullable(),
});
export type RetentionOutcome = z.infer<typeof retentionOutcomeSchema>;

/** The secrets of one repository as a person types them (the one shape: settings, enrollment, test connection). */
export const repoSecretsSchema = z.object({
  password: z.string().max(1024).optional(),
  restUsername: z.string().max(256).optional(),
  restPassword: z.string().max(1024).optional(),
});
export type RepoSecrets = z.infer<typeof repoSecretsSchema>;
/** Which secrets a repository has, as faces may see it: the REST user name, never a password. */
export const repoSecretsStateSchema = z.object({ password: z.boolean(), restUsername: z.string().nullable(), restPassword: z.boolean() });
export type RepoSecretsState = z.infer<typeof repoSecretsStateSchema>;

/** One translated finding of config diagnostics (electron/core/config/diagnostics.ts). */
export const diagnosticSchema = z.object({
  code: z.string(),
  severity: z.enum(['warning', 'error']),
  repoId: z.string().optional(),
  planId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  action: z.string(),
});
export type DiagnosticItem = z.infer<typeof diagnosticSchema>;

export const connectionResultSchema = z.object({
  ok: z.boolean(),
  initialized: z.boolean(),
  cause: failureCauseSchema.nullable(),
  message: z.string().nullable(),
  action: z.string().nullable(),
  resticVersion: z.string().nullable(),
  /** What the repository's settings get wrong, also when the connection works. */
  diagnostics: z.array(diagnosticSchema).optional(),
});

export const preferencesSchema = z.object({
  language: localeSchema,
  notifications: z.enum(['all', 'problems', 'off']),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const agentRunModeSchema = z.enum(['in-process', 'serve', 'service']);
export type AgentRunMode = z.infer<typeof agentRunModeSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  resticVersion: z.string().nullable(),
  hostname: z.string(),
  username: z.string(),
  homeDir: z.string(),
  platform: z.string(),
  configured: z.boolean(),
  technician: z.boolean(),
  technicianPasswordRequired: z.boolean(),
  capabilities: capabilitySwitchesSchema,
  locked: z.array(z.string()),
  branding: z.object({ organization: z.string().nullable(), supportContact: z.string().nullable() }),
  enrollmentTemplate: z.string().nullable(),
  /** What enrolling sets up, so the wizard can show it before anything is saved: folders ({home} expanded) and retention. */
  enrollmentDefaults: z.object({ planId: z.string(), paths: z.array(z.string()), retention: retentionSchema }).nullable().optional(),
  /** Days without a successful backup before a plan counts as overdue (machine policy, default 3). */
  overdueAfterDays: z.number(),
  preferences: preferencesSchema,
  configProblem: errorPayloadSchema.nullable(),
  /** The data dir needed repair at start (e.g. a damaged history moved aside): tell the user once. */
  dataProblem: errorPayloadSchema.nullable().optional(),
  /**
   * Which agent answers (issue 13): the machine's service, `cofre serve`, or one inside this user's app.
   * Optional because a service started before an upgrade may not send it: the tray must still work
   * (its answers are parsed with this schema), and the window then says nothing rather than guess.
   */
  agentMode: agentRunModeSchema.optional(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const importModeSchema = z.enum(['merge', 'replace']);
const importInputSchema = z.object({
  content: z.string().min(2).max(5_000_000),
  /** merge (default): add or update the file's repositories and plans; replace: take the whole file. */
  mode: importModeSchema.default('merge'),
  /** Use the file's instance name; absent = the default (a fresh Cofre adopts it, a configured one keeps its own). */
  takeInstance: z.boolean().optional(),
}).strict();
const importIdsSchema = z.object({ repos: z.array(z.string()), plans: z.array(z.string()) });
/** What an import will change (or changed). Names of secrets only (`password`, env names), never a value. */
export const importPreviewSchema = z.object({
  mode: importModeSchema,
  fresh: z.boolean(),
  repos: z.object({
    added: z.array(z.object({ id: z.string(), fields: z.array(z.string()), secrets: z.array(z.string()) })),
    updated: z.array(z.object({ id: z.string(), fields: z.array(z.string()), secrets: z.array(z.string()) })),
    unchanged: z.array(z.string()),
    untouched: z.array(z.string()),
    removed: z.array(z.object({ id: z.string(), secrets: z.array(z.string()) })),
  }),
  plans: z.object({
    added: z.array(z.string()),
    updated: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
    unchanged: z.array(z.string()),
    untouched: z.array(z.string()),
    removed: z.array(z.string()),
  }),
  instance: z.object({ current: z.string(), file: z.string(), result: z.string(), changes: z.boolean() }),
  settings: z.array(z.string()),
  secretsFromFile: z.number(),
  /** What the file's repositories and plans get wrong although they load (REST_RESTIC_* names, ...). */
  diagnostics: z.array(diagnosticSchema).optional(),
});
export type ImportPreviewOutput = z.infer<typeof importPreviewSchema>;
export const importUndoInfoSchema = z.object({
  takenAt: isoDate,
  mode: importModeSchema,
  /** The config was saved again after the import: undoing also drops those later edits. */
  changedSince: z.boolean(),
});

/** How far the background index of snapshots has come (search across all backups uses it). */
export const indexStatusSchema = z.object({
  /** Visible snapshots already indexed. */
  indexed: z.number(),
  /** Visible snapshots in all repositories (as last listed). */
  total: z.number(),
  /** Indexing is running (or queued) right now. */
  running: z.boolean(),
});
export type IndexStatus = z.infer<typeof indexStatusSchema>;

/** What a technician hands to support: no secret value in any field. */
export const supportDiagnosticsSchema = z.object({
  appVersion: z.string(),
  platform: z.string(),
  hostname: z.string(),
  restic: z.object({ binary: z.string().nullable(), version: z.string().nullable(), capabilities: z.array(z.string()), problem: z.string().nullable() }),
  paths: z.array(z.object({ name: z.string(), path: z.string() })),
  policy: z.object({ status: z.enum(['none', 'file', 'invalid']), path: z.string().nullable(), problem: z.string().nullable(), locked: z.array(z.string()) }),
  configProblems: z.array(diagnosticSchema),
  index: indexStatusSchema,
  /** Recent log lines, already redacted. */
  log: z.array(z.string()),
});
export type SupportDiagnostics = z.infer<typeof supportDiagnosticsSchema>;

// ---- methods ----------------------------------------------------------------------------------

/**
 * access: 'user' = anyone using this machine's app; 'technician' = requires a technician session
 * when the policy sets a technician password (and the openSettings capability otherwise).
 */
export type Access = 'user' | 'technician';

interface MethodDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
}
const method = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => def;
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const jobStarted = z.object({ jobId: z.string() });

export const api = {
  // app & session
  getAppInfo: method({ input: empty, output: appInfoSchema, access: 'user' }),
  setPreferences: method({ input: preferencesSchema.partial().strict(), output: preferencesSchema, access: 'user' }),
  technicianLogin: method({ input: z.object({ password: z.string().min(1).max(1024) }).strict(), output: ok, access: 'user' }),
  technicianLogout: method({ input: empty, output: ok, access: 'user' }),

  // status & jobs
  getStatus: method({ input: empty, output: agentStatusSchema, access: 'user' }),
  runBackup: method({ input: z.object({ planId: id }).strict(), output: jobStarted, access: 'user' }),
  /** The name people see for a plan; stored by Cofre beside config.json so Backrest's plan ids stay as they are. */
  setPlanLabel: method({ input: z.object({ planId: id, label: z.string().max(80).nullable() }).strict(), output: ok, access: 'technician' }),
  listJobs: method({ input: empty, output: z.array(jobInfoSchema), access: 'user' }),
  cancelJob: method({ input: z.object({ jobId: z.string().min(1).max(128) }).strict(), output: ok, access: 'user' }),
  pause: method({ input: z.object({ until: isoDate.nullable() }).strict(), output: agentStatusSchema, access: 'user' }),
  resume: method({ input: empty, output: agentStatusSchema, access: 'user' }),

  // history & snapshots
  listHistory: method({
    input: z.object({ planId: id.optional(), repoId: id.optional(), type: jobKindSchema.optional(), status: operationSchema.shape.status.optional(), ...paging }).strict(),
    output: z.object({ items: z.array(operationSchema), total: z.number() }),
    access: 'user',
  }),
  listSnapshots: method({ input: z.object({ planId: id.optional(), repoId: id.optional() }).strict(), output: z.array(snapshotSchema), access: 'user' }),

  // restore
  browse: method({
    input: z.object({ snapshotId, path: absolutePath.optional(), ...paging }).strict(),
    output: z.object({ path: z.string(), entries: z.array(entrySchema), total: z.number() }),
    access: 'user',
  }),
  search: method({
    input: z.object({
      pattern: z.string().min(1).max(512),
      snapshotId: snapshotId.optional(),
      /** Across all backups: search what is already indexed now instead of waiting for the rest. */
      indexedOnly: z.boolean().optional(),
      ...paging,
    }).strict(),
    output: z.object({
      /** `snapshotCount`: how many of the searched backups hold this path (the row shows the newest). */
      items: z.array(entrySchema.extend({ snapshotId: z.string(), snapshotTime: z.string(), snapshotCount: z.number().optional() })),
      /** Across all backups: how much was indexed when the search ran (results may grow). */
      indexing: indexStatusSchema.optional(),
      total: z.number(),
      /** The search covered only the folders this session may restore (end users): "nothing found" means "nothing there". */
      scopeLimited: z.boolean().optional(),
    }),
    access: 'user',
  }),
  versions: method({
    input: z.object({ path: absolutePath }).strict(),
    output: z.array(z.object({ size: z.number(), mtime: z.string(), snapshots: z.array(z.object({ id: z.string(), time: z.string() })) })),
    access: 'user',
  }),
  missingFiles: method({
    input: z.object({ snapshotId, path: absolutePath, ...paging }).strict(),
    output: z.object({ entries: z.array(entrySchema), total: z.number() }),
    access: 'user',
  }),
  /** Index state of the snapshots this session may see; `cancelIndexing` stops the background run. */
  indexStatus: method({ input: empty, output: indexStatusSchema, access: 'user' }),
  cancelIndexing: method({ input: empty, output: ok, access: 'user' }),
  /** Decides, before a restore is started, whether this session may do it; `problem` says why not in plain words. */
  checkRestore: method({
    input: z.object({ snapshotId, paths: z.array(absolutePath).min(1).max(10_000), destination: restoreDestinationSchema }).strict(),
    output: z.object({ problem: z.object({ field: z.enum(['destination', 'paths']), message: z.string() }).nullable() }),
    access: 'user',
  }),
  restore: method({
    input: z.object({
      snapshotId,
      paths: z.array(absolutePath).min(1).max(10_000),
      destination: restoreDestinationSchema,
      conflict: conflictPolicySchema.default('keep-both'),
    }).strict(),
    output: jobStarted,
    access: 'user',
  }),

  // settings (technician)
  getConfig: method({
    input: empty,
    output: z.object({
      config: configSchema,
      managedRepoIds: z.array(z.string()),
      managedPlanIds: z.array(z.string()),
      locked: z.array(z.string()),
      secrets: z.record(z.string(), repoSecretsStateSchema),
    }),
    access: 'technician',
  }),
  setConfig: method({ input: z.object({ config: configSchema, modno: z.number().int().min(0) }).strict(), output: z.object({ modno: z.number() }), access: 'technician' }),
  setRepoSecrets: method({ input: z.object({ repoId: id }).extend(repoSecretsSchema.shape).strict(), output: ok, access: 'technician' }),
  testConnection: method({ input: z.object({ repo: repoSchema, secrets: repoSecretsSchema.default({}) }).strict(), output: connectionResultSchema, access: 'technician' }),
  /** Diagnostics of the saved config, or of one repository being edited (`repo`, not saved yet). */
  diagnoseConfig: method({
    input: z.object({ repo: repoSchema.optional() }).strict(),
    output: z.object({ diagnostics: z.array(diagnosticSchema) }),
    access: 'technician',
  }),
  initRepo: method({ input: z.object({ repoId: id }).strict(), output: z.object({ created: z.boolean() }), access: 'technician' }),
  unlockRepo: method({ input: z.object({ repoId: id }).strict(), output: ok, access: 'technician' }),
  checkRepo: method({ input: z.object({ repoId: id }).strict(), output: jobStarted, access: 'technician' }),
  pruneRepo: method({ input: z.object({ repoId: id }).strict(), output: jobStarted, access: 'technician' }),
  previewSchedule: method({
    input: z.object({ schedule: scheduleSchema }).strict(),
    output: z.object({ description: z.string(), nextRuns: z.array(isoDate) }),
    access: 'user',
  }),
  previewRetention: method({ input: z.object({ retention: retentionSchema }).strict(), output: z.object({ description: z.string() }), access: 'user' }),
  previewImport: method({ input: importInputSchema, output: importPreviewSchema, access: 'technician' }),
  importBackrest: method({
    input: importInputSchema,
    output: z.object({
      /** Repositories and plans of the file, and the secrets of the file moved into the secret store. */
      repos: z.number(),
      plans: z.number(),
      movedSecrets: z.number(),
      added: importIdsSchema,
      updated: importIdsSchema,
      removed: importIdsSchema,
      instance: z.string(),
      instanceChanged: z.boolean(),
      undoAvailable: z.boolean(),
      preview: importPreviewSchema,
    }),
    access: 'technician',
  }),
  undoImport: method({
    input: empty,
    output: z.object({ modno: z.number(), takenAt: isoDate, repos: z.number(), plans: z.number() }),
    access: 'technician',
  }),
  getImportUndo: method({ input: empty, output: importUndoInfoSchema.nullable(), access: 'technician' }),
  exportBackrest: method({
    input: z.object({
      includeSecrets: z.boolean().default(false),
      /** Backrest release the file is for; default: the config's own version. */
      target: z.enum(['1.10', '1.13', 'current']).optional(),
    }).strict(),
    output: z.object({ content: z.string() }),
    access: 'technician',
  }),
  enroll: method({
    input: z.object({
      password: z.string().max(1024).optional(),
      restUsername: z.string().max(256).optional(),
      restPassword: z.string().max(1024).optional(),
      paths: z.array(absolutePath).max(100).optional(),
      /** How long to keep backups, as the person chose in the wizard; refused when the policy locks it. */
      retention: retentionSchema.optional(),
    }).strict(),
    output: z.object({ repoId: z.string(), planId: z.string(), uri: z.string() }),
    access: 'user',
  }),
  getDiagnostics: method({ input: z.object({ logLines: z.number().int().min(1).max(2000).default(200) }).strict(), output: supportDiagnosticsSchema, access: 'technician' }),
  readLog: method({ input: z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict(), output: z.object({ lines: z.array(z.string()) }), access: 'technician' }),

  // fleet audit (technician): the repositories listed in `<config dir>/fleet.json`, read live
  /** Per department, host and plan: last snapshot, age, state vs the expectation, trend; unreadable repositories with their cause. */
  fleetReport: method({ input: fleetReportInputSchema, output: fleetReportSchema, access: 'technician' }),
} as const;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiInput<M extends ApiMethod> = z.input<Api[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<Api[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Api[M]['output']>;
export const apiMethods = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** What the renderer (and any other caller) sees: one async function per method. */
export type ApiClient = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

// ---- events -----------------------------------------------------------------------------------

export const apiEvents = {
  status: agentStatusSchema,
  jobQueued: jobInfoSchema,
  jobProgress: z.object({ jobId: z.string(), kind: jobKindSchema, planId: z.string().nullable(), progress: z.record(z.string(), z.unknown()) }),
  jobFinished: z.object({
    jobId: z.string(),
    kind: jobKindSchema,
    planId: z.string().nullable(),
    repoId: z.string(),
    status: z.enum(['success', 'warning', 'failure', 'cancelled']),
    error: errorPayloadSchema.nullable(),
    snapshotId: z.string().nullable(),
    restoreReport: restoreReportSchema.nullable(),
    /** Backup: the retention (forget) job queued after it, null when none follows (keep all, no new snapshot). */
    retentionJobId: z.string().nullable().optional(),
    /** Forget: what retention did. `managedByServer`: an append-only server refused the deletes by design. */
    retention: retentionOutcomeSchema.nullable().optional(),
  }),
  configChanged: z.object({ modno: z.number() }),
  preferencesChanged: preferencesSchema,
} as const;

export type ApiEventName = keyof typeof apiEvents;
export type ApiEventData<E extends ApiEventName> = z.infer<(typeof apiEvents)[E]>;
export type ApiEvent = { [E in ApiEventName]: { type: E; data: ApiEventData<E> } }[ApiEventName];
export const apiEventNames = Object.keys(apiEvents) as ApiEventName[];

/** Result envelope used by IPC and HTTP so errors arrive as data, never as exceptions with stacks. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorPayloadSchema> };

/** How a face calls into the core. Implemented by the Agent; sessions carry technician login state. */
export interface ApiHost {
  call(method: string, input: unknown, session: SessionRef): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}
export interface SessionRef {
  id: string;
}

/**
 * What the Electron preload exposes as `window.cofre` (method by method, no generic invoke), and what
 * the renderer's HTTP client mimics. `desktop` is present only where the host offers OS integration.
 */
export interface CofreBridge {
  api: { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiResult<ApiOutput<M>>> };
  onEvent(listener: (event: ApiEvent) => void): () => void;
  desktop?: {
    pickFolder(): Promise<string | null>;
    openPath(path: string): Promise<void>;
  };
}

/** HTTP face conventions, shared by electron/server and the renderer's HTTP client. */
export const http = {
  apiPrefix: '/api/',
  eventsPath: '/api/events',
  tokenHeader: 'authorization',
  sessionHeader: 'x-cofre-session',
  maxBodyBytes: 6_000_000,
} as const;
