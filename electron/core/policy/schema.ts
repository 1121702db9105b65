// The machine policy IT deploys as policy.json (ProgramData / /etc). Objects are strict: a typo
// such as "capabilites" must be an error, not a silently ignored restriction. Keys `$schema` and
// `comment` are allowed for documentation.
import { z } from 'zod';
import { planSchema, repoSchema, retentionSchema, scheduleSchema } from '../config/backrest-schema.js';

export const scryptHashPattern = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

export const capabilityNames = ['backupNow', 'pause', 'quit', 'restore', 'restoreOutsideHome', 'overwriteOnRestore', 'openSettings'] as const;
export type CapabilityName = (typeof capabilityNames)[number];

export const defaultCapabilities: Record<CapabilityName, boolean> = {
  backupNow: true,
  pause: true,
  quit: true,
  restore: true,
  restoreOutsideHome: false,
  overwriteOnRestore: true,
  openSettings: true,
};

export const capabilitiesSchema = z.strictObject({
  backupNow: z.boolean().default(defaultCapabilities.backupNow),
  pause: z.boolean().default(defaultCapabilities.pause),
  quit: z.boolean().default(defaultCapabilities.quit),
  restore: z.boolean().default(defaultCapabilities.restore),
  restoreOutsideHome: z.boolean().default(defaultCapabilities.restoreOutsideHome),
  overwriteOnRestore: z.boolean().default(defaultCapabilities.overwriteOnRestore),
  openSettings: z.boolean().default(defaultCapabilities.openSettings),
});

export const notificationLevelSchema = z.enum(['all', 'problems', 'off']);

export const enrollmentSchema = z.strictObject({
  /** e.g. `rest:https://backup.example/{hostname}/`; `{hostname}` and `{username}` are expanded. */
  uriTemplate: z.string().min(1).max(2048),
  repoId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'config.problem.id').default('cofre'),
  planId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'config.problem.id').default('documentos'),
  /** Folders backed up by the enrolled plan; `{home}` is the user's home folder. */
  paths: z.array(z.string().min(1)).default(['{home}']),
  excludes: z.array(z.string()).default([]),
  schedule: scheduleSchema.optional(),
  retention: retentionSchema.optional(),
  /** Shared Basic Auth user of the server (the Batatais setup); the password may be given too. */
  restUsername: z.string().max(256).optional(),
  restPassword: z.string().max(1024).optional(),
});

export const policySchema = z.strictObject({
  $schema: z.string().optional(),
  comment: z.string().optional(),
  managed: z
    .strictObject({ repos: z.array(repoSchema).default([]), plans: z.array(planSchema).default([]) })
    .default({ repos: [], plans: [] }),
  /** Setting paths users cannot change: `repos`, `plans`, `plans.<id>`, `repos.<id>.uri`, `language`, `notifications`, `*`. */
  locked: z.array(z.string().min(1).max(256)).default([]),
  capabilities: capabilitiesSchema.default(defaultCapabilities),
  technicianPasswordHash: z.string().regex(scryptHashPattern, 'policy.problem.hash').optional(),
  branding: z.strictObject({ organization: z.string().max(200).optional(), supportContact: z.string().max(500).optional() }).optional(),
  enrollment: enrollmentSchema.optional(),
  overdueAfterDays: z.number().int().min(1).max(365).default(3),
  /** A fixed notification level users cannot change. */
  notifications: z.strictObject({ level: notificationLevelSchema }).optional(),
  language: z.enum(['pt-BR', 'en']).optional(),
  /** Folders end users may restore from besides their home folder (technicians see everything). */
  restoreRoots: z.array(z.string().min(1)).default([]),
  /**
   * What end users may browse, search and restore: 'plans' = their home, what this machine's plans
   * back up (other users' profile folders excepted) and `restoreRoots`; 'home' = only their home
   * and `restoreRoots`.
   */
  restoreScope: z.enum(['plans', 'home']).default('plans'),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyCapabilities = z.infer<typeof capabilitiesSchema>;
export type Enrollment = z.infer<typeof enrollmentSchema>;
export type NotificationLevel = z.infer<typeof notificationLevelSchema>;

/** No policy file: nothing managed, nothing locked, default capabilities. */
export function defaultPolicy(): Policy {
  return policySchema.parse({});
}

/**
 * A policy file exists but is unusable. Its presence means IT meant to manage this machine, so we
 * fail closed: backups and restores inside the home folder keep working, everything else is
 * locked until IT fixes the file.
 */
export function restrictivePolicy(): Policy {
  return policySchema.parse({
    locked: ['*'],
    restoreScope: 'home',
    capabilities: { backupNow: true, pause: false, quit: false, restore: true, restoreOutsideHome: false, overwriteOnRestore: false, openSettings: false },
  });
}
