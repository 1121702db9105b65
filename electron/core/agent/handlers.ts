// One handler per contract method. Inputs arrive parsed by their schema (agent.ts does that);
// handlers check capabilities and locks, then delegate to the agent's parts.
import type { ApiMethod, ApiOutput, ApiParsedInput, Entry, SessionRef } from '../api.js';
import type { Config, Repo, Retention } from '../config/backrest-schema.js';
import { exportBackrest } from '../config/backrest-io.js';
import { describeRepoSecrets, redactConfig } from '../config/repo-secrets.js';
import { parseConfig } from '../config/validate.js';
import { CofreError } from '../errors.js';
import { t, tPlural, type MessageKey } from '../i18n/index.js';
import { join } from 'node:path';
import { expandEnrollment } from '../policy/enrollment.js';
import { TechnicianAttempts, technicianAttemptsFile } from '../policy/technician-attempts.js';
import { verifyTechnicianPassword } from '../policy/technician.js';
import { lockedChanges, userConfigFromEdit } from '../policy/merge.js';
import { describeSchedule } from '../schedule/describe.js';
import { nextRuns } from '../schedule/next-run.js';
import { repoEnvKey, repoPasswordKey } from '../secrets/index.js';
import { scopeLimited } from '../restore/scope.js';
import { fromLocalPath, parseSnapshotPath } from '../restore/snapshot-path.js';
import type { AgentContext } from './agent.js';
import { diagnoseSettings, testConnection } from './connection.js';
import { checkRestore, supportDiagnostics } from './support.js';
import { importUndoInfo, previewImport, runImport, undoImport } from './import-handlers.js';
import { fleetHandlers } from './fleet-handlers.js';

export type Handlers = { [M in ApiMethod]: (input: ApiParsedInput<M>, session: SessionRef) => Promise<ApiOutput<M>> };

export function handlersFor(ctx: AgentContext): Handlers {
  const requireCapability = (name: keyof ReturnType<AgentContext['policy']['capabilities']>) => {
    if (!ctx.policy.capabilities()[name]) throw new CofreError('error.notAllowedByPolicy');
  };

  const attempts = new TechnicianAttempts(join(ctx.options.dataDir, technicianAttemptsFile), () => ctx.now().getTime());

  return {
    async getAppInfo(_input, session) {
      const prefs = ctx.preferences();
      const policy = ctx.policy.policy;
      let resticVersion: string | null = null;
      try {
        resticVersion = (await ctx.engines.restic()).capabilities.version.version;
      } catch {
        resticVersion = null;
      }
      const config = ctx.config();
      return {
        version: ctx.options.version ?? '0.1.0',
        resticVersion,
        hostname: ctx.identity.hostname,
        username: ctx.identity.username,
        homeDir: ctx.identity.homeDir,
        platform: process.platform,
        configured: config.repos.length > 0 && config.plans.length > 0,
        technician: ctx.isTechnician(session),
        technicianPasswordRequired: ctx.policy.technicianPasswordRequired(),
        capabilities: ctx.policy.capabilities(),
        locked: ctx.policy.locked(),
        branding: { organization: policy.branding?.organization ?? null, supportContact: policy.branding?.supportContact ?? null },
        enrollmentTemplate: policy.enrollment?.uriTemplate ?? null,
        overdueAfterDays: ctx.policy.overdueAfterDays(),
        preferences: prefs,
        configProblem: ctx.configProblem() ?? ctx.policy.problem,
        dataProblem: ctx.dataProblem?.() ?? null,
      };
    },

    async setPreferences(input) {
      const locked = ctx.policy.locked();
      if (input.language !== undefined && locked.includes('language')) throw new CofreError('error.lockedByPolicy');
      if (input.notifications !== undefined && locked.includes('notifications')) throw new CofreError('error.lockedByPolicy');
      await ctx.setPreferences({ ...ctx.preferences(), ...input });
      return ctx.preferences();
    },

    async technicianLogin(input, session) {
      // Whatever was typed (right or wrong) is masked from now on: a wrong password is often a
      // near miss of the right one.
      ctx.log.addSecrets([input.password]);
      // Only a session a face created explicitly can become technician (no shared fallback).
      if (!ctx.sessions.known(session)) throw new CofreError('agent.unknownSession');
      if (!ctx.policy.technicianPasswordRequired()) {
        if (!ctx.policy.capabilities().openSettings) throw new CofreError('error.notAllowedByPolicy');
        ctx.sessions.elevate(session);
        return { ok: true as const };
      }
      // Persisted per machine, per session and globally: see technician-attempts.ts for the design.
      const hash = ctx.policy.policy.technicianPasswordHash ?? '';
      const outcome = await attempts.attempt(session.id, () => verifyTechnicianPassword(input.password, hash));
      if ('refused' in outcome) {
        const seconds = Math.max(1, Math.ceil(outcome.waitMs / 1000));
        ctx.log.warn(`technician login refused: locked for ${seconds} s (${outcome.scope === 'machine' ? 'too many wrong attempts on this machine' : 'too many wrong attempts in this session'})`);
        throw new CofreError(outcome.scope === 'machine' ? 'policy.technicianLockedOutMachine' : 'policy.technicianLockedOut', { params: { seconds } });
      }
      if (!outcome.ok) {
        ctx.log.warn('technician login refused');
        throw new CofreError('agent.technicianWrong');
      }
      ctx.sessions.elevate(session);
      ctx.log.info('technician logged in');
      return { ok: true as const };
    },

    async technicianLogout(_input, session) {
      ctx.sessions.drop(session);
      return { ok: true as const };
    },

    async getStatus() {
      return ctx.operations.status();
    },

    async runBackup(input) {
      requireCapability('backupNow');
      ctx.plan(input.planId);
      return { jobId: ctx.operations.runBackup(input.planId, 'manual') };
    },

    async setPlanLabel(input) {
      ctx.plan(input.planId);
      await ctx.operations.labels.set(input.planId, input.label);
      ctx.statusChanged();
      return { ok: true as const };
    },

    async listJobs() {
      return ctx.operations.listJobs();
    },

    async cancelJob(input) {
      if (!ctx.queue.cancel(input.jobId)) throw new CofreError('agent.jobNotFound', { params: { job: input.jobId } });
      return { ok: true as const };
    },

    async pause(input) {
      requireCapability('pause');
      ctx.operations.pause(input.until ? new Date(input.until) : null);
      return ctx.operations.status();
    },

    async resume() {
      ctx.operations.pause(null);
      return ctx.operations.status();
    },

    async listHistory(input) {
      return ctx.operations.listHistory(input);
    },

    async listSnapshots(input, session) {
      return ctx.catalog.list(session, input);
    },

    async browse(input, session) {
      requireCapability('restore');
      const snapshotId = await ctx.catalog.ensureIndexed(session, input.snapshotId);
      const path = input.path ? parseSnapshotPath(toSnapshotForm(input.path)) : '/';
      const page = ctx.catalog.index.listChildren(ctx.catalog.scope(session), snapshotId, path, { limit: input.limit, offset: input.offset });
      return { path, entries: page.items.map(toEntry), total: page.total };
    },

    async search(input, session) {
      requireCapability('restore');
      // Across all backups, the app searches what is indexed now and shows how far indexing has
      // come, instead of blocking until every snapshot is indexed (scripts still wait for all).
      if (!input.snapshotId && input.indexedOnly) await ctx.catalog.indexInBackground(session);
      else if (!input.snapshotId) await ctx.catalog.ensureAllIndexed(session);
      const snapshotIds = input.snapshotId ? [await ctx.catalog.ensureIndexed(session, input.snapshotId)] : undefined;
      const scope = ctx.catalog.scope(session);
      const page = ctx.catalog.index.search(scope, input.pattern, { snapshotIds, limit: input.limit, offset: input.offset });
      return {
        items: page.items.map((hit) => ({ ...toEntry(hit), snapshotId: hit.snapshotId, snapshotTime: hit.snapshotTime, snapshotCount: hit.snapshotCount })),
        total: page.total,
        scopeLimited: scopeLimited(scope),
        ...(input.snapshotId ? {} : { indexing: ctx.catalog.indexStatus(session) }),
      };
    },

    async versions(input, session) {
      requireCapability('restore');
      await ctx.catalog.ensureAllIndexed(session);
      const versions = ctx.catalog.index.versions(ctx.catalog.scope(session), parseSnapshotPath(toSnapshotForm(input.path)));
      return versions.map((v) => ({ size: v.size, mtime: v.mtime, snapshots: v.snapshots }));
    },

    async missingFiles(input, session) {
      requireCapability('restore');
      const snapshotId = await ctx.catalog.ensureIndexed(session, input.snapshotId);
      const found = ctx.catalog.index.missingFiles(ctx.catalog.scope(session), snapshotId, parseSnapshotPath(toSnapshotForm(input.path)), { limit: input.offset + input.limit });
      return { entries: found.items.slice(input.offset).map(toEntry), total: found.items.length + (found.truncated ? 1 : 0) };
    },

    async indexStatus(_input, session) {
      return ctx.catalog.indexStatus(session);
    },

    async cancelIndexing() {
      ctx.catalog.cancelIndexing();
      return { ok: true as const };
    },

    async checkRestore(input, session) {
      return checkRestore(ctx, session, input);
    },

    async restore(input, session) {
      requireCapability('restore');
      if (input.conflict === 'replace' && !ctx.policy.capabilities().overwriteOnRestore) throw new CofreError('error.notAllowedByPolicy');
      return { jobId: await ctx.operations.runRestore(session, input) };
    },

    async getConfig() {
      const merged = ctx.policy.effective(ctx.configStore.get());
      const secrets: Record<string, { password: boolean; restUsername: string | null; restPassword: boolean }> = {};
      for (const repo of merged.config.repos) secrets[repo.id] = await describeRepoSecrets(repo, ctx.options.secrets);
      return {
        config: redactConfig(merged.config),
        managedRepoIds: merged.managedRepoIds,
        managedPlanIds: merged.managedPlanIds,
        locked: ctx.policy.locked(),
        secrets,
      };
    },

    async setConfig(input) {
      const next = parseConfig(input.config, ctx.locale());
      const before = ctx.config();
      const changedLocks = lockedChanges(before, { ...next, modno: before.modno }, ctx.policy.policy);
      if (changedLocks.length > 0) throw new CofreError('error.lockedByPolicy', { detail: changedLocks.join(', ') });
      const userConfig = userConfigFromEdit(next, ctx.configStore.get(), ctx.policy.policy);
      const saved = await ctx.configStore.update(userConfig, input.modno);
      ctx.setConfigProblem(null);
      ctx.configChanged();
      return { modno: saved.modno };
    },

    async setRepoSecrets(input) {
      const repo = ctx.repo(input.repoId);
      if (ctx.policy.effective(ctx.configStore.get()).managedRepoIds.includes(repo.id)) throw new CofreError('error.lockedByPolicy');
      if (input.password !== undefined) await setOrDelete(ctx, repoPasswordKey(repo.id), input.password);
      if (input.restUsername !== undefined) await setOrDelete(ctx, repoEnvKey(repo.id, 'RESTIC_REST_USERNAME'), input.restUsername);
      if (input.restPassword !== undefined) await setOrDelete(ctx, repoEnvKey(repo.id, 'RESTIC_REST_PASSWORD'), input.restPassword);
      ctx.configChanged();
      return { ok: true as const };
    },

    async testConnection(input) {
      return testConnection(ctx, input.repo, input.secrets);
    },

    async diagnoseConfig(input) {
      return diagnoseSettings(ctx, input.repo);
    },

    async initRepo(input) {
      const repo = ctx.repo(input.repoId);
      const engine = await ctx.engines.forRepo(repo);
      const { created } = await engine.init();
      await rememberGuid(ctx, repo);
      ctx.catalog.invalidate(repo.id);
      return { created };
    },

    async unlockRepo(input) {
      const engine = await ctx.engines.forRepo(ctx.repo(input.repoId));
      await engine.unlock();
      return { ok: true as const };
    },

    async checkRepo(input) {
      ctx.repo(input.repoId);
      return { jobId: ctx.operations.runMaintenance('check', input.repoId, 'manual') };
    },

    async pruneRepo(input) {
      ctx.repo(input.repoId);
      return { jobId: ctx.operations.runMaintenance('prune', input.repoId, 'manual') };
    },

    async previewSchedule(input) {
      const now = ctx.now();
      return {
        description: describeSchedule(input.schedule, ctx.locale()),
        nextRuns: nextRuns(input.schedule, { now }, 3).filter((d) => Number.isFinite(d.getTime())).map((d) => d.toISOString()),
      };
    },

    async previewRetention(input) {
      return { description: describeRetention(input.retention, ctx) };
    },

    async previewImport(input) {
      return previewImport(ctx, input);
    },

    async importBackrest(input) {
      return runImport(ctx, input);
    },

    async undoImport() {
      return undoImport(ctx);
    },

    async getImportUndo() {
      return importUndoInfo(ctx);
    },

    async exportBackrest(input) {
      return { content: await exportBackrest(ctx.configStore.get(), ctx.options.secrets, { includeSecrets: input.includeSecrets, locale: ctx.locale(), ...(input.target ? { target: input.target } : {}) }) };
    },

    async enroll(input, session) {
      const enrollment = ctx.policy.policy.enrollment;
      if (!enrollment) throw new CofreError('agent.noEnrollment');
      const uri = expandEnrollment(enrollment.uriTemplate, ctx.identity);
      const restUsername = input.restUsername ?? enrollment.restUsername;
      const restPassword = input.restPassword ?? enrollment.restPassword;
      // No guid yet: autoInitialize until the repository's id is known (rememberGuid), as in Backrest.
      const repo: Repo = { id: enrollment.repoId, uri, env: [], flags: [], hooks: [], autoInitialize: true, autoUnlock: true };
      const paths = input.paths ?? enrollment.paths.map((p) => p.replaceAll('{home}', ctx.identity.homeDir));
      const secrets = { password: input.password, restUsername, restPassword };
      const plan = {
        id: enrollment.planId,
        repo: repo.id,
        paths,
        excludes: enrollment.excludes,
        iexcludes: [],
        hooks: [],
        backup_flags: [],
        schedule: enrollment.schedule ?? { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' as const },
        retention: enrollment.retention ?? { policyTimeBucketed: { daily: 7, weekly: 4, monthly: 12 } },
      };
      const nextFrom = (current: Config): Config => ({
        ...current,
        repos: [...current.repos.filter((r) => r.id !== repo.id), { ...repo, password: input.password }],
        plans: [...current.plans.filter((p) => p.id !== plan.id), plan],
      });
      // Enrolling is the end user's way in on a fresh machine. Once the enrolled repository or plan
      // exists, enrolling again would rewrite them (paths, schedule, hooks, excludes): that is a
      // settings change, so it needs a technician and passes the same lock check as setConfig.
      const before = ctx.config();
      const enrolled = before.repos.some((r) => r.id === repo.id) || before.plans.some((p) => p.id === plan.id);
      if (enrolled) {
        if (!ctx.isTechnician(session)) throw new CofreError('error.technicianRequired');
        const after = ctx.policy.effective(nextFrom(ctx.configStore.get())).config;
        const changedLocks = lockedChanges(before, { ...after, modno: before.modno }, ctx.policy.policy);
        if (changedLocks.length > 0) throw new CofreError('error.lockedByPolicy', { detail: changedLocks.join(', ') });
      }
      const result = await testConnection(ctx, repo, secrets);
      if (!result.ok && result.cause !== 'no-repository') {
        throw new CofreError(`cause.${result.cause ?? 'unknown'}` as MessageKey, { cause: result.cause ?? 'unknown' });
      }
      const current = ctx.configStore.get();
      const next = nextFrom(current);
      if (restUsername) await ctx.options.secrets.set(repoEnvKey(repo.id, 'RESTIC_REST_USERNAME'), restUsername);
      if (restPassword) await ctx.options.secrets.set(repoEnvKey(repo.id, 'RESTIC_REST_PASSWORD'), restPassword);
      await ctx.configStore.update(next, current.modno);
      ctx.configChanged();
      if (!result.initialized) {
        const engine = await ctx.engines.forRepo(ctx.repo(repo.id));
        await engine.init();
      }
      await rememberGuid(ctx, ctx.repo(repo.id));
      return { repoId: repo.id, planId: plan.id, uri };
    },

    async getDiagnostics(input, session) {
      return supportDiagnostics(ctx, session, input.logLines);
    },

    async readLog(input) {
      return { lines: await ctx.log.tail(input.limit) };
    },

    ...fleetHandlers(ctx),
  };
}

async function setOrDelete(ctx: AgentContext, key: string, value: string): Promise<void> {
  if (value === '') await ctx.options.secrets.delete(key);
  else await ctx.options.secrets.set(key, value);
}

/**
 * Backrest records the repository id (`restic cat config`) as `guid`. Once it is known the
 * repository exists, so autoInitialize goes: Backrest refuses a repo with both.
 */
async function rememberGuid(ctx: AgentContext, repo: Repo): Promise<void> {
  try {
    const engine = await ctx.engines.forRepo(repo);
    const { id } = await engine.catConfig();
    const current = ctx.configStore.get();
    const stored = current.repos.find((r) => r.id === repo.id);
    if (!stored || (stored.guid === id && !stored.autoInitialize) || !/^[0-9a-f]{64}$/.test(id)) return;
    const learned = (r: Repo): Repo => {
      const { autoInitialize: _initialised, ...rest } = r;
      return { ...rest, guid: id };
    };
    await ctx.configStore.update({ ...current, repos: current.repos.map((r) => (r.id === repo.id ? learned(r) : r)) }, current.modno);
    ctx.configChanged();
  } catch (error) {
    ctx.log.warn(`repository ${repo.id}: could not read its id: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Paths from a face may be Windows local paths (C:\Users\ana): the index uses snapshot form (/C/Users/ana). */
function toSnapshotForm(path: string): string {
  return /^[A-Za-z]:/.test(path) ? fromLocalPath(path, 'win32') : path;
}

function toEntry(entry: { name: string; path: string; type: string; size: number; mtime: string }): Entry {
  const type: Entry['type'] = entry.type === 'file' || entry.type === 'dir' || entry.type === 'symlink' ? entry.type : 'other';
  return { name: entry.name, path: entry.path, type, size: entry.size, mtime: entry.mtime };
}

export function describeRetention(retention: Retention, ctx: Pick<AgentContext, 'locale'>): string {
  const locale = ctx.locale();
  if (retention.policyKeepAll) return t('agent.retentionKeepAll', undefined, locale);
  if (retention.policyKeepLastN !== undefined) return tPlural('agent.retentionLastN', retention.policyKeepLastN, {}, locale);
  const buckets = retention.policyTimeBucketed;
  if (!buckets) return t('agent.retentionKeepAll', undefined, locale);
  const parts: string[] = [];
  for (const unit of ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
    const count = buckets[unit];
    if (count) parts.push(tPlural(`agent.retentionPart.${unit}`, count, {}, locale));
  }
  if (buckets.keepLastN) parts.push(tPlural('agent.retentionPart.last', buckets.keepLastN, {}, locale));
  if (parts.length === 0) return t('agent.retentionKeepAll', undefined, locale);
  return t('agent.retentionBuckets', { parts: new Intl.ListFormat(locale, { type: 'conjunction' }).format(parts) }, locale);
}
