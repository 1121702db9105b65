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
import { isLocked, lockedChanges } from '../policy/merge.js';
import type { AgentContext } from './agent.js';

type ImportInput = ApiParsedInput<'importBackrest'>;

const undoStores = new WeakMap<AgentContext, ImportUndo>();
const queues = new WeakMap<AgentContext, Promise<unknown>>();

function undoStore(ctx: AgentContext): ImportUndo {
  let store = undoStores.get(ctx);
  if (!store) {
    store = new ImportUndo(ctx.options.configPath, ctx.options.secrets);
    undoStores.set(ctx, store);
  }
  return store;
}

/** Imports and undos of one agent run one at a time: each one's undo level must be its own. */
function serialised<T>(ctx: AgentContext, run: () => Promise<T>): Promise<T> {
  const next = (queues.get(ctx) ?? Promise.resolve()).then(run, run);
  queues.set(ctx, next.catch(() => undefined));
  return next;
}

async function storedSecretsOf(ctx: AgentContext, repoIds: Iterable<string>): Promise<Record<string, string>> {
  const ids = [...repoIds];
  const out: Record<string, string> = {};
  for (const key of await ctx.options.secrets.keys()) {
    if (!ids.some((id) => key.startsWith(`repo/${id}/`))) continue;
    const value = await ctx.options.secrets.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The plan of an import, refused (before anything is written) when policy locks what it changes. */
async function planFor(ctx: AgentContext, input: ImportInput): Promise<{ current: Config; imported: Config; plan: ImportPlan }> {
  const current = ctx.configStore.get();
  const { config: imported } = parseImportFile(input.content, current, input.mode, ctx.locale());
  const ids = new Set([...current.repos.map((r) => r.id), ...imported.repos.map((r) => r.id)]);
  const plan = planImport(current, imported, { mode: input.mode, takeInstance: input.takeInstance, storedSecrets: await storedSecretsOf(ctx, ids) }, ctx.locale());
  // The whole result must be a config Cofre would load (ConfigStore.update checks again).
  parseConfig(plan.config, ctx.locale());
  checkLocks(ctx, imported, plan.config);
  // Loads is not the same as works: the file as written (secrets still inside, as Backrest holds
  // them) judged against the agent's environment, e.g. the guide's REST_RESTIC_* names.
  const diagnostics = diagnoseConfig(imported, ctx.options.env ?? process.env, ctx.locale());
  if (diagnostics.length > 0) plan.preview.diagnostics = diagnostics;
  return { current, imported, plan };
}

function checkLocks(ctx: AgentContext, imported: Config, next: Config): void {
  const policy = ctx.policy.policy;
  const merged = ctx.policy.effective(ctx.configStore.get());
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
  locked.push(...lockedChanges(ctx.config(), ctx.policy.effective({ ...redacted, modno: merged.config.modno }).config, policy));
  if (locked.length > 0) throw new CofreError('error.lockedByPolicy', { detail: [...new Set(locked)].join(', ') });
}

export async function previewImport(ctx: AgentContext, input: ImportInput): Promise<ApiOutput<'previewImport'>> {
  return (await planFor(ctx, input)).plan.preview;
}

export function runImport(ctx: AgentContext, input: ImportInput): Promise<ApiOutput<'importBackrest'>> {
  return serialised(ctx, async () => {
    const { current, imported, plan } = await planFor(ctx, input);
    const undo = undoStore(ctx);
    const pending = await undo.take(current, affectedRepoIds(current, imported, input.mode), input.mode, ctx.now());
    let saved: Config;
    try {
      // ConfigStore moves the file's secrets into the secret store and deletes those of removed repos.
      // Backrest numbers every write (modno): the file's count goes on, never back.
      saved = await ctx.configStore.update(plan.config, current.modno, { modnoAtLeast: imported.modno });
    } catch (error) {
      await pending.rollback();
      throw error;
    }
    await pending.confirm(saved.modno);
    ctx.setConfigProblem(null);
    ctx.configChanged();
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
  });
}

export function undoImport(ctx: AgentContext): Promise<ApiOutput<'undoImport'>> {
  return serialised(ctx, async () => {
    const undo = undoStore(ctx);
    const record = await undo.read();
    if (!record) throw new CofreError('import.noUndo');
    const previous = parseConfig(record.config, ctx.locale());
    const changedLocks = lockedChanges(ctx.config(), ctx.policy.effective(previous).config, ctx.policy.policy);
    if (changedLocks.length > 0) throw new CofreError('error.lockedByPolicy', { detail: changedLocks.join(', ') });
    const current = ctx.configStore.get();
    // Config first (it may be refused, e.g. by a concurrent edit): then nothing else has changed.
    // Repos the import added are absent from `previous`, so ConfigStore deletes their secrets.
    const saved = await ctx.configStore.update({ ...previous, modno: current.modno }, current.modno);
    await undo.restoreSecrets(record);
    await undo.clear(record);
    ctx.setConfigProblem(null);
    ctx.configChanged();
    ctx.log.info(`import of ${record.takenAt} undone`);
    return { modno: saved.modno, takenAt: record.takenAt, repos: saved.repos.length, plans: saved.plans.length };
  });
}

export async function importUndoInfo(ctx: AgentContext): Promise<ApiOutput<'getImportUndo'>> {
  return undoStore(ctx).info(ctx.configStore.get().modno);
}
