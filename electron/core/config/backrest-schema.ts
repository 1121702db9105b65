// Backrest config.json (versions 4, 5 and 6; see migrate.ts) as zod schemas. Input passes
// normalize.ts first, so these schemas see Backrest's canonical json form only.
// Every object is "loose": fields this version does not know (the `sync` block, fields from newer
// Backrest releases) survive a load/save round trip.
// int64 values are JSON strings in Backrest's protojson encoding; enums are their names.
// Custom messages are i18n keys (config.problem.*): validate.ts translates them per locale.
// Rules that span fields (repo references, one-of groups, cron, URIs) live in validate.ts.
import { z } from 'zod';

const int64 = z.union([z.string().regex(/^-?\d+$/, 'config.problem.integer'), z.number().int()]).transform(String);
const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'config.problem.id');
/** Backrest's instance id rule (validationutil.ValidateID with IDMaxLen 50); empty only warns there. */
const instanceId = z.string().max(50).regex(/^[A-Za-z0-9_.-]*$/, 'config.problem.id');

export const clockSchema = z.enum(['CLOCK_DEFAULT', 'CLOCK_LOCAL', 'CLOCK_UTC', 'CLOCK_LAST_RUN_TIME']);

export const scheduleSchema = z.looseObject({
  disabled: z.boolean().optional(),
  cron: z.string().max(200).optional(),
  // Ten years at most: longer intervals are typos, and they overflow date arithmetic.
  maxFrequencyDays: z.number().int().positive().max(3650).optional(),
  maxFrequencyHours: z.number().int().positive().max(87_600).optional(),
  clock: clockSchema.optional(),
});

export const timeBucketedSchema = z.looseObject({
  hourly: z.number().int().min(0).optional(),
  daily: z.number().int().min(0).optional(),
  weekly: z.number().int().min(0).optional(),
  monthly: z.number().int().min(0).optional(),
  yearly: z.number().int().min(0).optional(),
  keepLastN: z.number().int().min(0).optional(),
});

export const retentionSchema = z.looseObject({
  policyKeepLastN: z.number().int().min(0).optional(),
  policyTimeBucketed: timeBucketedSchema.optional(),
  policyKeepAll: z.boolean().optional(),
});

export const hookConditions = [
  'CONDITION_UNKNOWN',
  'CONDITION_ANY_ERROR',
  'CONDITION_SNAPSHOT_START',
  'CONDITION_SNAPSHOT_END',
  'CONDITION_SNAPSHOT_ERROR',
  'CONDITION_SNAPSHOT_WARNING',
  'CONDITION_SNAPSHOT_SUCCESS',
  'CONDITION_SNAPSHOT_SKIPPED',
  'CONDITION_PRUNE_START',
  'CONDITION_PRUNE_ERROR',
  'CONDITION_PRUNE_SUCCESS',
  'CONDITION_CHECK_START',
  'CONDITION_CHECK_ERROR',
  'CONDITION_CHECK_SUCCESS',
  'CONDITION_FORGET_START',
  'CONDITION_FORGET_ERROR',
  'CONDITION_FORGET_SUCCESS',
] as const;
export const hookConditionSchema = z.enum(hookConditions);

export const hookOnErrorSchema = z.enum([
  'ON_ERROR_IGNORE',
  'ON_ERROR_CANCEL',
  'ON_ERROR_FATAL',
  'ON_ERROR_RETRY_1MINUTE',
  'ON_ERROR_RETRY_10MINUTES',
  'ON_ERROR_RETRY_EXPONENTIAL_BACKOFF',
]);

const webhookMethod = z.enum(['UNKNOWN', 'GET', 'POST']);

export const hookSchema = z.looseObject({
  conditions: z.array(hookConditionSchema).default([]),
  onError: hookOnErrorSchema.optional(),
  actionCommand: z.looseObject({ command: z.string() }).optional(),
  actionWebhook: z.looseObject({ webhookUrl: z.string(), method: webhookMethod.optional(), template: z.string().optional() }).optional(),
  actionDiscord: z.looseObject({ webhookUrl: z.string(), template: z.string().optional() }).optional(),
  actionSlack: z.looseObject({ webhookUrl: z.string(), template: z.string().optional() }).optional(),
  actionGotify: z.looseObject({ baseUrl: z.string(), token: z.string().optional(), template: z.string().optional(), titleTemplate: z.string().optional(), priority: z.number().int().optional() }).optional(),
  actionHealthchecks: z.looseObject({ webhookUrl: z.string(), template: z.string().optional() }).optional(),
  actionShoutrrr: z.looseObject({ shoutrrrUrl: z.string(), template: z.string().optional() }).optional(),
  actionTelegram: z.looseObject({ botToken: z.string(), chatId: z.string(), template: z.string().optional() }).optional(),
});

export const prunePolicySchema = z.looseObject({
  schedule: scheduleSchema.optional(),
  maxUnusedBytes: int64.optional(),
  maxUnusedPercent: z.number().min(0).max(100).optional(),
});

export const checkPolicySchema = z.looseObject({
  schedule: scheduleSchema.optional(),
  structureOnly: z.boolean().optional(),
  readDataSubsetPercent: z.number().min(0).max(100).optional(),
});

export const envEntry = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'config.problem.envEntry');

export const repoSchema = z.looseObject({
  id,
  uri: z.string().min(1).max(2048),
  guid: z.string().regex(/^[0-9a-f]{64}$/, 'config.problem.guid').optional(),
  password: z.string().optional(),
  env: z.array(envEntry).default([]),
  flags: z.array(z.string()).default([]),
  prunePolicy: prunePolicySchema.optional(),
  checkPolicy: checkPolicySchema.optional(),
  hooks: z.array(hookSchema).default([]),
  autoUnlock: z.boolean().optional(),
  autoInitialize: z.boolean().optional(),
  commandPrefix: z.looseObject({ ioNice: z.string().optional(), cpuNice: z.string().optional() }).optional(),
});

export const planSchema = z.looseObject({
  id,
  repo: id,
  paths: z.array(z.string().min(1)).default([]),
  excludes: z.array(z.string()).default([]),
  iexcludes: z.array(z.string()).default([]),
  schedule: scheduleSchema.optional(),
  retention: retentionSchema.optional(),
  hooks: z.array(hookSchema).default([]),
  backup_flags: z.array(z.string()).default([]),
  skipIfUnchanged: z.boolean().optional(),
});

export const authSchema = z.looseObject({
  disabled: z.boolean().optional(),
  users: z.array(z.looseObject({ name: z.string(), passwordBcrypt: z.string().optional() })).default([]),
});

export const configSchema = z.looseObject({
  modno: z.number().int().min(0).default(0),
  // The version the file was read with: Cofre writes it back unchanged unless the content needs 6.
  version: z.literal([4, 5, 6]),
  instance: instanceId,
  repos: z.array(repoSchema).default([]),
  plans: z.array(planSchema).default([]),
  auth: authSchema.optional(),
});

export type Schedule = z.infer<typeof scheduleSchema>;
export type Retention = z.infer<typeof retentionSchema>;
export type Hook = z.infer<typeof hookSchema>;
export type HookCondition = z.infer<typeof hookConditionSchema>;
export type PrunePolicy = z.infer<typeof prunePolicySchema>;
export type CheckPolicy = z.infer<typeof checkPolicySchema>;
export type Repo = z.infer<typeof repoSchema>;
export type Plan = z.infer<typeof planSchema>;
export type Config = z.infer<typeof configSchema>;

/**
 * The reference config.json holds in place of a hook or multihost secret (extra-secrets.ts):
 * `cofre-secret:<key>`. Here, in the shared schema, so the renderer can recognise one and show
 * "(stored securely)" instead of the reference text.
 */
export const secretRefPrefix = 'cofre-secret:';

export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(secretRefPrefix);
}
