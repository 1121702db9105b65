// Handlers of the contract's "settings (technician)" section, but for importing (import-handlers.ts)
// and enrolling (enroll-handler.ts): the config, repository secrets and operations, previews,
// export, diagnostics and the log. Every save goes through the settings part.
import type { RepoSecretsState } from '../api.js';
import type { Repo, Retention } from '../config/backrest-schema.js';
import { exportBackrest } from '../config/backrest-io.js';
import { describeRepoSecrets, redactConfig } from '../config/repo-secrets.js';
import { parseConfig } from '../config/validate.js';
import { CofreError } from '../errors.js';
import { t, tPlural, type Locale } from '../i18n/index.js';
import { userConfigFromEdit } from '../policy/merge.js';
import { describeSchedule } from '../schedule/describe.js';
import { nextRuns } from '../schedule/next-run.js';
import { diagnoseSettings, testConnection } from './connection.js';
import type { CatalogPort, Clock, EnginesPort, Handlers, LogPort, PolicyPort, SettingsPort } from './ports.js';
import { supportDiagnostics, type SupportDeps } from './support.js';

export interface SettingsHandlerDeps extends SupportDeps {
  settings: SettingsPort;
  policy: SupportDeps['policy'] & Pick<PolicyPort, 'policy'>;
  engines: SupportDeps['engines'] & Pick<EnginesPort, 'forRepo'>;
  catalog: SupportDeps['catalog'] & Pick<CatalogPort, 'invalidate'>;
  log: SupportDeps['log'] & Pick<LogPort, 'warn'>;
  clock: Clock;
  runMaintenance(kind: 'check' | 'prune', repoId: string): string;
}

type SettingsHandlers = Pick<Handlers,
  'getConfig' | 'setConfig' | 'setRepoSecrets' | 'testConnection' | 'diagnoseConfig' | 'initRepo' | 'unlockRepo' | 'checkRepo' | 'pruneRepo' |
  'previewSchedule' | 'previewRetention' | 'exportBackrest' | 'getDiagnostics' | 'readLog'>;

export function settingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers {
  const { settings, policy } = deps;
  return {
    async getConfig() {
      const merged = settings.merged();
      const secrets: Record<string, RepoSecretsState> = {};
      for (const repo of merged.config.repos) secrets[repo.id] = await describeRepoSecrets(repo, settings.secrets);
      return {
        config: redactConfig(merged.config),
        managedRepoIds: merged.managedRepoIds,
        managedPlanIds: merged.managedPlanIds,
        locked: policy.locked(),
        secrets,
      };
    },

    async setConfig(input) {
      // The technician edited the effective view: the lock rule judges that view, and what is
      // saved is the user's part of it.
      const edited = parseConfig(input.config, deps.locale());
      const saved = await settings.apply(userConfigFromEdit(edited, settings.user(), policy.policy), input.modno, { asSeen: edited });
      return { modno: saved.modno };
    },

    async setRepoSecrets(input) {
      const repo = settings.repo(input.repoId);
      if (settings.merged().managedRepoIds.includes(repo.id)) throw new CofreError('error.lockedByPolicy');
      await settings.setSecrets(repo.id, { password: input.password, restUsername: input.restUsername, restPassword: input.restPassword });
      return { ok: true as const };
    },

    async testConnection(input) {
      return testConnection(deps, input.repo, input.secrets);
    },

    async diagnoseConfig(input) {
      return diagnoseSettings(deps, input.repo);
    },

    async initRepo(input) {
      const repo = settings.repo(input.repoId);
      const engine = await deps.engines.forRepo(repo);
      const { created } = await engine.init();
      await rememberGuid(deps, repo);
      deps.catalog.invalidate(repo.id);
      return { created };
    },

    async unlockRepo(input) {
      const engine = await deps.engines.forRepo(settings.repo(input.repoId));
      await engine.unlock();
      return { ok: true as const };
    },

    async checkRepo(input) {
      settings.repo(input.repoId);
      return { jobId: deps.runMaintenance('check', input.repoId) };
    },

    async pruneRepo(input) {
      settings.repo(input.repoId);
      return { jobId: deps.runMaintenance('prune', input.repoId) };
    },

    async previewSchedule(input) {
      const now = deps.clock.now();
      return {
        description: describeSchedule(input.schedule, deps.locale()),
        nextRuns: nextRuns(input.schedule, { now }, 3).filter((d) => Number.isFinite(d.getTime())).map((d) => d.toISOString()),
      };
    },

    async previewRetention(input) {
      return { description: describeRetention(input.retention, deps.locale()) };
    },

    async exportBackrest(input) {
      return { content: await exportBackrest(settings.user(), settings.secrets, { includeSecrets: input.includeSecrets, locale: deps.locale(), ...(input.target ? { target: input.target } : {}) }) };
    },

    async getDiagnostics(input, session) {
      return supportDiagnostics(deps, session, input.logLines);
    },

    async readLog(input) {
      return { lines: await deps.log.tail(input.limit) };
    },
  };
}

/**
 * Backrest records the repository id (`restic cat config`) as `guid`. Once it is known the
 * repository exists, so autoInitialize goes: Backrest refuses a repo with both.
 */
export async function rememberGuid(deps: { settings: SettingsPort; engines: Pick<EnginesPort, 'forRepo'>; log: Pick<LogPort, 'warn'> }, repo: Repo): Promise<void> {
  try {
    const engine = await deps.engines.forRepo(repo);
    const { id } = await engine.catConfig();
    const current = deps.settings.user();
    const stored = current.repos.find((r) => r.id === repo.id);
    if (!stored || (stored.guid === id && !stored.autoInitialize) || !/^[0-9a-f]{64}$/.test(id)) return;
    const learned = (r: Repo): Repo => {
      const { autoInitialize: _initialised, ...rest } = r;
      return { ...rest, guid: id };
    };
    const next = { ...current, repos: current.repos.map((r) => (r.id === repo.id ? learned(r) : r)) };
    await deps.settings.apply(next, current.modno, { unlockedBecause: 'repository-fact' });
  } catch (error) {
    deps.log.warn(`repository ${repo.id}: could not read its id: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function describeRetention(retention: Retention, locale: Locale): string {
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
