// The import half of the settings contract: preview, import (merge or replace) and undo. Nothing
// is written before the preview's rules pass (parse, plan references, policy locks), and every
// import first keeps one undo level (previous config + previous secrets of the repos involved).
import type { ApiOutput, ApiParsedInput } from '../api.js';
import type { Config } from '../config/backrest-schema.js';
import { diagnoseConfig } from '../config/diagnostics.js';
import { affectedRepoIds, parseImportFile, planImport, type ImportPlan } from '../config/import-merge.js';
import { ImportUndo } from '../config/import-undo.js';
import { splitRepoSecrets } from '../config/repo-secrets.js';
import { parseConfig } from '../config/validate.js';
import { CofreError } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { isLocked } from '../policy/merge.js';
import type { SecretStore } from '../secrets/index.js';
import type { Clock, Handlers, LogPort, PolicyPort, SettingsPort } from './ports.js';

type ImportInput = ApiParsedInput<'importBackrest'>;

export interface ImportDeps {
  settings: SettingsPort;
  policy: Pick<PolicyPort, 'policy' | 'effective'>;
  log: Pick<LogPort, 'info'>;
  clock: Clock;
  configPath: string;
  env: NodeJS.ProcessEnv;
  locale(): Locale;
}

export function importHandlers(deps: ImportDeps): Pick<Handlers, 'previewImport' | 'importBackrest' | 'undoImport' | 'getImportUndo'> {
  const undo = new ImportUndo(deps.configPath, deps.settings.secrets);
  let queue: Promise<unknown> = Promise.resolve();
  /** Imports and undos of one agent run one at a time: each one's undo level must be its own. */
  const serialised = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    async previewImport(input) {
      return (await planFor(deps, input)).plan.preview;
    },
    importBackrest: (input) => serialised(() => runImport(deps, undo, input)),
    undoImport: () => serialised(() => undoImport(deps, undo)),
    async getImportUndo() {
      return undo.info(deps.settings.user().modno);
    },
  };
}

async function storedSecretsOf(secrets: SecretStore, repoIds: Iterable<string>): Promise<Record<string, string>> {
  const ids = [...repoIds];
  const out: Record<string, string> = {};
  for (const key of await secrets.keys()) {
    if (!ids.some((id) => key.startsWith(`repo/${id}/`))) continue;
    const value = await secrets.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The plan of an import, refused (before anything is written) when policy locks what it changes. */
async function planFor(ctx: ImportDeps, input: ImportInput): Promise<{ current: Config; imported: Config; plan: ImportPlan; asSeen: Config }> {
  const current = ctx.settings.user();
  const { config: imported } = parseImportFile(input.content, current, input.mode, ctx.locale());
  const ids = new Set([...current.repos.map((r) => r.id), ...imported.repos.map((r) => r.id)]);
  const plan = planImport(current, imported, { mode: input.mode, takeInstance: input.takeInstance, storedSecrets: await storedSecretsOf(ctx.settings.secrets, ids) }, ctx.locale());
  // The whole result must be a config Cofre would load (ConfigStore.update checks again).
  parseConfig(plan.config, ctx.locale());
  const asSeen = checkLocks(ctx, imported, plan.config);
  // Loads is not the same as works: the file as written (secrets still inside, as Backrest holds
  // them) judged against the agent's environment, e.g. the guide's REST_RESTIC_* names.
  const diagnostics = diagnoseConfig(imported, ctx.env, ctx.locale());
  if (diagnostics.length > 0) plan.preview.diagnostics = diagnostics;
  return { current, imported, plan, asSeen };
}

/**
 * What only an import can do wrong (bring an entry over a managed one, or a secret of a locked
 * repository), then the lock rule of every save, on the result without its secrets (secrets are
 * not in the compared views). Returns that result for the save to be judged the same way.
 */
function checkLocks(ctx: ImportDeps, imported: Config, next: Config): Config {
  const policy = ctx.policy.policy;
  const merged = ctx.settings.merged();
  const locked: string[] = [];
  // A managed entry hides the user's entry of the same id: importing over it would change nothing
  // visible now and surprise later, so it is refused like any other locked item.
  for (const repo of imported.repos) if (merged.managedRepoIds.includes(repo.id)) locked.push(`repos.${repo.id}`);
  for (const plan of imported.plans) if (merged.managedPlanIds.includes(plan.id)) locked.push(`plans.${plan.id}`);
  // Secrets are not in the compared views: a file that carries one for a locked repo changes it.
  for (const repo of imported.repos) {
    if (Object.keys(splitRepoSecrets(repo).secrets).length > 0 && isLocked(policy, `repos.${repo.id}.password`)) locked.push(`repos.${repo.id}`);
  }
  const redacted = { ...next, repos: next.repos.map((r) => splitRepoSecrets(r).repo) };
  const asSeen = ctx.policy.effective({ ...redacted, modno: merged.config.modno }).config;
  locked.push(...ctx.settings.lockedBy(redacted, asSeen));
  if (locked.length > 0) throw new CofreError('error.lockedByPolicy', { detail: [...new Set(locked)].join(', ') });
  return asSeen;
}

async function runImport(ctx: ImportDeps, undo: ImportUndo, input: ImportInput): Promise<ApiOutput<'importBackrest'>> {
  const { current, imported, plan, asSeen } = await planFor(ctx, input);
  const pending = await undo.take(current, affectedRepoIds(current, imported, input.mode), input.mode, ctx.clock.now());
  let saved: Config;
  try {
    // ConfigStore moves the file's secrets into the secret store and deletes those of removed repos.
    // Backrest numbers every write (modno): the file's count goes on, never back.
    saved = await ctx.settings.apply(plan.config, current.modno, { modnoAtLeast: imported.modno, asSeen, afterSave: (s) => pending.confirm(s.modno) });
  } catch (error) {
    await pending.rollback();
    throw error;
  }
  const { preview } = plan;
  ctx.log.info(`import (${input.mode}): ${preview.repos.added.length} repos added, ${preview.repos.updated.length} updated, ${preview.repos.removed.length} removed; ` +
    `${preview.plans.added.length} plans added, ${preview.plans.updated.length} updated, ${preview.plans.removed.length} removed`);
  return {
    repos: imported.repos.length,
    plans: imported.plans.length,
    movedSecrets: preview.secretsFromFile,
    added: { repos: preview.repos.added.map((r) => r.id), plans: preview.plans.added },
    updated: { repos: preview.repos.updated.map((r) => r.id), plans: preview.plans.updated.map((p) => p.id) },
    removed: { repos: preview.repos.removed.map((r) => r.id), plans: preview.plans.removed },
    instance: saved.instance,
    instanceChanged: preview.instance.changes,
    undoAvailable: true,
    preview,
  };
}

async function undoImport(ctx: ImportDeps, undo: ImportUndo): Promise<ApiOutput<'undoImport'>> {
  const record = await undo.read();
  if (!record) throw new CofreError('import.noUndo');
  const previous = parseConfig(record.config, ctx.locale());
  const current = ctx.settings.user();
  // Config first (it may be refused, e.g. by a concurrent edit): then nothing else has changed.
  // Repos the import added are absent from `previous`, so ConfigStore deletes their secrets.
  const saved = await ctx.settings.apply({ ...previous, modno: current.modno }, current.modno, {
    afterSave: async () => {
      await undo.restoreSecrets(record);
      await undo.clear(record);
    },
  });
  ctx.log.info(`import of ${record.takenAt} undone`);
  return { modno: saved.modno, takenAt: record.takenAt, repos: saved.repos.length, plans: saved.plans.length };
}
