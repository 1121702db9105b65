// The `cofre` command. Every subcommand is a call of the shared contract on a local Agent, so the
// CLI sees exactly what the tray and the web UI see. Exit codes: 0 ok, 1 failure, 2 usage,
// 3 backup made with warnings (unreadable files, or the plan's retention could not run).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../core/agent/agent.js';
import { AgentLog } from '../core/agent/log.js';
import type { ApiEvent, ApiHost, ApiInput, ApiMethod, ApiOutput, ApiResult, RetentionOutcome, SessionRef } from '../core/api.js';
import { backrestTargets, type BackrestTarget } from '../core/config/backrest-io.js';
import { CofreError, type ErrorPayload } from '../core/errors.js';
import { countOf, formatBytes, formatDateTime, isLocale, matchLocale, setLocale, t, type Locale, type MessageKey } from '../core/i18n/index.js';
import { resolvePaths, type CofrePaths } from '../core/paths.js';
import { FileSecretStore, type SecretStore } from '../core/secrets/index.js';
import { capProblems, minTokenLength, startServer } from '../server/server.js';
import { serviceMain, ServiceUsageError } from './service.js';
import { ServiceClient, serviceSocketToUse, type AgentConnectionKind } from '../core/service/client.js';
import { renderEntries, renderError, renderHistory, renderSnapshots, renderStatus } from './output.js';
import { renderImportPreview, renderImportResult, renderUndone } from './import-output.js';
import { writeSecretFile } from './secret-file.js';
import { fleetCommand, fleetOptionSpec, FleetUsageError } from './fleet.js';
import { backupRetryFromEnv } from './backup-retry-env.js';

export const exitCodes = { ok: 0, failure: 1, usage: 2, warning: 3 } as const;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const optionSpec = {
  config: { type: 'string' },
  policy: { type: 'string' },
  'data-dir': { type: 'string' },
  restic: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  plan: { type: 'string' },
  snapshot: { type: 'string' },
  limit: { type: 'string' },
  to: { type: 'string' },
  original: { type: 'boolean', default: false },
  conflict: { type: 'string' },
  'include-secrets': { type: 'boolean', default: false },
  backrest: { type: 'string' },
  port: { type: 'string' },
  static: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  technician: { type: 'boolean', default: false },
  replace: { type: 'boolean', default: false },
  'take-instance': { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  ...fleetOptionSpec,
  socket: { type: 'string' },
} as const;

export interface CliHost {
  /** Where secrets live. Default: a file readable only by the user; the tray app passes its OS-encrypted store. */
  secretStore?: (paths: CofrePaths) => SecretStore;
}

/** Commands that answer and exit; `run` and `serve` keep an agent alive and belong to node, not the tray app. */
export const oneShotCommands = ['status', 'backup', 'snapshots', 'history', 'browse', 'find', 'versions', 'restore', 'config', 'policy', 'fleet'] as const;

export async function main(argv: string[], io: Io = defaultIo(), env: NodeJS.ProcessEnv = process.env, host: CliHost = {}): Promise<number> {
  let locale: Locale = matchLocale(env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG);
  let json = false;
  let verbose = false;
  let logFile: string | null = null;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
    json = values.json;
    verbose = values.verbose;
    if (values.lang) {
      if (!isLocale(values.lang)) throw new UsageError(t('cli.badArguments', { details: `--lang ${values.lang}` }, locale));
      locale = values.lang;
    }
    setLocale(locale);
    const [command, ...args] = positionals;
    if (values.help || !command || command === 'help') {
      io.out(t('cli.usage', undefined, locale));
      return values.help || command === 'help' ? exitCodes.ok : exitCodes.usage;
    }
    if (command === 'service') return await runServiceCommand(args, values, io, env, locale, json);
    if (!knownCommands.has(command)) throw new UsageError(t('cli.unknownCommand', { command }, locale));
    const allowed = maxArguments[command] ?? 0;
    if (args.length > allowed) throw new UsageError(t('cli.extraArguments', { command, extra: args.slice(allowed).join(' ') }, locale));
    if (command === 'serve') checkServeOptions(values.port, env, locale);

    // Issue 13: where the machine runs the Cofre service, this user's commands go to it.
    const serviceSocket = remoteCommands.has(command) && !values.config && !values['data-dir'] ? serviceSocketToUse(env) : null;
    if (serviceSocket) return await viaService(serviceSocket, command as CommandName, { io, json, values, args, env, locale });

    const paths = resolvePaths({ config: values.config, policy: values.policy, dataDir: values['data-dir'] }, env);
    checkPathKinds(paths, locale);
    logFile = join(paths.dataDir, 'logs', 'cofre.log');
    const agent = await Agent.create({
      ...paths,
      secrets: host.secretStore ? host.secretStore(paths) : new FileSecretStore(join(paths.dataDir, 'secrets.json')),
      resticBinary: values.restic ?? env.COFRE_RESTIC,
      locale: values.lang && isLocale(values.lang) ? values.lang : undefined,
      logEcho: values.verbose ? (line) => io.err(line) : undefined,
      ...backupRetryFromEnv(env.COFRE_BACKUP_RETRY),
      runMode: command === 'serve' ? 'serve' : 'in-process',
    });
    const commandLocale = values.lang && isLocale(values.lang) ? values.lang : agent.locale;
    const stop = oneShot.has(command) ? interruptOnSignal(agent, (signal) => io.err(t('signals.interrupted', { signal }, commandLocale))) : null;
    try {
      const repaired = agent.dataProblem();
      if (repaired && !json) io.err(repaired.message);
      const session = await cliSession(agent, env, values.technician);
      const ctx: CommandContext = { agent, host: agent, connection: 'in-process', session, io, json, locale: commandLocale, values, args, env };
      setLocale(ctx.locale);
      const code = await commands[command as CommandName](ctx);
      const signal = stop?.received();
      return signal ? signalExitCodes[signal] : code;
    } finally {
      await agent.shutdown(15_000);
      // Only now: until restic is gone, another library's signal hook must not kill the process.
      stop?.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const message = error instanceof UsageError ? error.message : t('cli.badArguments', { details: (error as Error).message }, locale);
      if (json) io.out(JSON.stringify({ ok: false, error: { code: 'cli.usage', message } }));
      else io.err(message);
      return exitCodes.usage;
    }
    const known = error instanceof CliFailure ? null : (fileProblem(error) ?? error);
    // Whatever ends in the generic message is at least in the log (the agent may not exist yet).
    if (logFile && known !== null) logUnexpected(logFile, known);
    const payload = error instanceof CliFailure ? error.payload : toPayload(known, locale);
    if (verbose && !(error instanceof CliFailure) && !(error instanceof CofreError)) io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (json) io.out(JSON.stringify({ ok: false, error: payload }));
    else io.err(renderError(payload, locale));
    return exitCodes.failure;
  }
}

/** Positional arguments each command takes at most (restore takes any number of paths). */
const maxArguments: Record<string, number> = {
  status: 0, backup: 1, snapshots: 0, history: 0, browse: 2, find: 1, versions: 1, restore: Number.POSITIVE_INFINITY,
  config: 2, policy: 1, run: 0, serve: 0, fleet: 0,
};

/** `serve` refuses a port out of range or a token that is set but empty/short before anything starts. */
function checkServeOptions(port: string | undefined, env: NodeJS.ProcessEnv, locale: Locale): void {
  if (port !== undefined) {
    const value = Number(port);
    if (!/^\d+$/.test(port.trim()) || !Number.isInteger(value) || value > 65_535) throw new UsageError(t('server.badPort', { port }, locale));
  }
  const token = env.COFRE_SERVE_TOKEN;
  if (token !== undefined && token.trim().length < minTokenLength) {
    throw new UsageError(t(token.trim() === '' ? 'server.emptyToken' : 'server.shortToken', { min: minTokenLength }, locale));
  }
}

/** `--config` must be a file and `--data-dir` a folder when they exist: say so instead of failing later. */
function checkPathKinds(paths: CofrePaths, locale: Locale): void {
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing';
    }
  };
  if (kind(paths.configPath) === 'folder') throw new UsageError(t('cli.configIsFolder', { path: paths.configPath }, locale));
  if (kind(paths.dataDir) === 'file') throw new UsageError(t('cli.dataDirIsFile', { path: paths.dataDir }, locale));
}

const fileErrorCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC']);

/** A file-system error that reached the top (writing an export, reading an import): name the path. */
function fileProblem(error: unknown): CofreError | null {
  if (!(error instanceof Error) || error instanceof CofreError) return null;
  const { code, path } = error as NodeJS.ErrnoException;
  if (!code || !path || !fileErrorCodes.has(code)) return null;
  const key = code === 'EPERM' ? 'EACCES' : code;
  return new CofreError(`cli.file.${key}` as MessageKey, { params: { path }, cause: code === 'ENOSPC' ? 'unknown' : 'invalid-input' });
}

function logUnexpected(file: string, error: unknown): void {
  const text = error instanceof CofreError ? `${error.code}${error.detail ? `: ${error.detail}` : ''}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    new AgentLog({ file }).error(`cli: ${text}`);
  } catch {
    // the data dir itself is what failed (read-only): the message on screen names it
  }
}

class CliFailure extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

function toPayload(error: unknown, locale: Locale): ErrorPayload {
  if (error instanceof CofreError) return error.toPayload(locale);
  return new CofreError('error.internal', { cause: 'unknown' }).toPayload(locale);
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && String((error as unknown as { code: string }).code).startsWith('ERR_PARSE_ARGS');
}

function defaultIo(): Io {
  return { out: (text) => process.stdout.write(text + '\n'), err: (text) => process.stderr.write(text + '\n') };
}

/**
 * The CLI acts for the machine's user. `--technician` (or COFRE_TECHNICIAN_PASSWORD) logs in as
 * technician, which widens restore to every path and is needed for settings when the policy sets
 * a technician password.
 */
async function cliSession(agent: Agent, env: NodeJS.ProcessEnv, technician: boolean): Promise<SessionRef> {
  const session = agent.createSession();
  const password = env.COFRE_TECHNICIAN_PASSWORD;
  agent.log.addSecrets([password, env.COFRE_SERVE_TOKEN]);
  if (password || technician) await call(agent, session, 'technicianLogin', { password: password || '-' });
  return session;
}

interface CommandContext {
  agent: Agent;
  /** What contract calls go to: the in-process agent, or the machine's service (issue 13). */
  host: ApiHost;
  connection: AgentConnectionKind;
  session: SessionRef;
  io: Io;
  json: boolean;
  locale: Locale;
  values: ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true; strict: true }>>['values'];
  args: string[];
  /** The environment main() was given (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

async function call<M extends ApiMethod>(host: ApiHost, session: SessionRef, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = (await host.call(method, input, session)) as ApiResult<ApiOutput<M>>;
  // A file with thousands of problems prints the first ones and a count, like the HTTP face.
  if (!result.ok) throw new CliFailure(capProblems(result.error));
  return result.value;
}

function emit(ctx: CommandContext, value: unknown, human: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(value, null, 2) : human());
}

function requireArg(ctx: CommandContext, index: number, name: string): string {
  const value = ctx.args[index];
  if (value === undefined) throw new UsageError(t('cli.missingArgument', { name }, ctx.locale));
  return value;
}

function intOption(ctx: CommandContext, name: 'limit' | 'port', fallback: number): number {
  const raw = ctx.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(t('cli.badArguments', { details: `--${name} ${raw}` }, ctx.locale));
  return value;
}

type JobFinished = Extract<ApiEvent, { type: 'jobFinished' }>['data'];

/**
 * Subscribes before the job is started (a fast failure could otherwise finish before we listen),
 * prints progress to stderr on a terminal and resolves with the job's final event.
 */
function watchJobs(ctx: CommandContext): { finished(jobId: string): Promise<JobFinished>; stop(): void } {
  const done = new Map<string, JobFinished>();
  const waiters = new Map<string, (data: JobFinished) => void>();
  let watched: string | undefined;
  const unsubscribe = ctx.host.subscribe((event) => {
    if (event.type === 'jobProgress' && event.data.jobId === watched && !ctx.json && process.stderr.isTTY) {
      const p = event.data.progress as { percentDone?: number; filesDone?: number; bytesDone?: number };
      const text = t('cli.progress', {
        percent: Math.round((p.percentDone ?? 0) * 100),
        files: p.filesDone ?? 0,
        bytes: formatBytes(p.bytesDone ?? 0, ctx.locale),
      }, ctx.locale);
      process.stderr.write(`\r${text}\x1b[K`);
    }
    if (event.type === 'jobFinished') {
      const waiter = waiters.get(event.data.jobId);
      if (waiter) waiter(event.data);
      else done.set(event.data.jobId, event.data);
    }
  });
  return {
    finished(jobId) {
      watched = jobId;
      const early = done.get(jobId);
      if (early) return Promise.resolve(early);
      return new Promise((resolve) => waiters.set(jobId, (data) => {
        if (!ctx.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        resolve(data);
      }));
    },
    stop: unsubscribe,
  };
}

const commands = {
  async status(ctx: CommandContext) {
    // A damaged config with no good copy leaves an empty one in use: "not configured, exit 0"
    // would hide that backups stopped. Say it is damaged and where the copy is, and fail.
    const { configProblem } = await call(ctx.host, ctx.session, 'getAppInfo', {});
    if (configProblem?.code === 'config.noGoodCopy') throw new CliFailure(configProblem);
    const status = await call(ctx.host, ctx.session, 'getStatus', {});
    const connectionLine = t(ctx.connection === 'service' ? 'service.connection.service' : 'service.connection.inProcess', undefined, ctx.locale);
    emit(ctx, { ...status, connection: ctx.connection }, () => `${renderStatus(status, ctx.locale)}\n${connectionLine}`);
    return status.health === 'failed' ? exitCodes.failure : exitCodes.ok;
  },

  async backup(ctx: CommandContext) {
    const planId = requireArg(ctx, 0, 'planId');
    const jobs = watchJobs(ctx);
    const { jobId } = await call(ctx.host, ctx.session, 'runBackup', { planId }).catch((error: unknown) => {
      jobs.stop();
      throw error;
    });
    if (!ctx.json) ctx.io.err(t('cli.backupStarted', { plan: planId }, ctx.locale));
    // What cron, Task Scheduler and RMM tools run: the command ends when the plan's retention has
    // run too, so old backups are removed on every run, not cancelled at exit.
    const result = await jobs.finished(jobId).then(async (backup) => ({
      backup,
      retention: backup.retentionJobId ? (await jobs.finished(backup.retentionJobId)).retention ?? null : null,
    })).finally(jobs.stop);
    const { backup, retention } = result;
    emit(ctx, { ...backup, retention }, () => {
      const lines: string[] = [];
      if (backup.status === 'success') lines.push(t('cli.backupDone', { snapshot: backup.snapshotId ?? '-' }, ctx.locale));
      else if (backup.status === 'warning') lines.push(t('cli.backupWarning', { message: backup.error?.message ?? '' }, ctx.locale));
      else lines.push(backup.error ? renderError(backup.error, ctx.locale) : t('cli.jobFailed', { message: backup.status }, ctx.locale));
      if (retention) lines.push(describeRetention(retention, ctx.locale));
      return lines.join('\n');
    });
    if (backup.status !== 'success' && backup.status !== 'warning') return exitCodes.failure;
    // The backup is made either way: retention that did not run is a warning (exit 3), with its reason.
    const retentionFailed = retention !== null && (retention.status === 'failure' || retention.status === 'cancelled');
    return backup.status === 'warning' || retentionFailed ? exitCodes.warning : exitCodes.ok;
  },

  async snapshots(ctx: CommandContext) {
    const snapshots = await call(ctx.host, ctx.session, 'listSnapshots', ctx.values.plan ? { planId: ctx.values.plan } : {});
    emit(ctx, snapshots, () => renderSnapshots(snapshots, ctx.locale));
    return exitCodes.ok;
  },

  async history(ctx: CommandContext) {
    const page = await call(ctx.host, ctx.session, 'listHistory', { ...(ctx.values.plan ? { planId: ctx.values.plan } : {}), limit: intOption(ctx, 'limit', 50) });
    emit(ctx, page, () => renderHistory(page.items, ctx.locale));
    return exitCodes.ok;
  },

  async browse(ctx: CommandContext) {
    const snapshotId = requireArg(ctx, 0, 'snapshotId');
    const path = ctx.args[1];
    const page = await call(ctx.host, ctx.session, 'browse', { snapshotId, ...(path ? { path } : {}), limit: intOption(ctx, 'limit', 1000) });
    emit(ctx, page, () => `${page.path}\n${renderEntries(page.entries, ctx.locale)}${more(page.total - page.entries.length, ctx.locale)}`);
    return exitCodes.ok;
  },

  async find(ctx: CommandContext) {
    const pattern = requireArg(ctx, 0, 'pattern');
    const page = await call(ctx.host, ctx.session, 'search', { pattern, ...(ctx.values.snapshot ? { snapshotId: ctx.values.snapshot } : {}), limit: intOption(ctx, 'limit', 100) });
    emit(ctx, page, () => page.items.length === 0
      ? t(page.scopeLimited ? 'cli.noResultsInScope' : 'cli.noResults', undefined, ctx.locale)
      : page.items.map((item) => `${item.snapshotId.slice(0, 8)}  ${formatDateTime(item.snapshotTime, ctx.locale)}  ${item.path}`).join('\n') + more(page.total - page.items.length, ctx.locale));
    return exitCodes.ok;
  },

  async versions(ctx: CommandContext) {
    const path = requireArg(ctx, 0, 'path');
    const versions = await call(ctx.host, ctx.session, 'versions', { path });
    emit(ctx, versions, () => versions.length === 0
      ? t('cli.noResults', undefined, ctx.locale)
      : versions.map((v) => t('cli.versionLine', {
        mtime: formatDateTime(v.mtime, ctx.locale),
        size: formatBytes(v.size, ctx.locale),
        snapshots: countOf('snapshots', v.snapshots.length, ctx.locale),
        latest: v.snapshots[0]?.id.slice(0, 8) ?? '-',
      }, ctx.locale)).join('\n'));
    return exitCodes.ok;
  },

  async restore(ctx: CommandContext) {
    const snapshotId = requireArg(ctx, 0, 'snapshotId');
    const paths = ctx.args.slice(1);
    if (paths.length === 0) throw new UsageError(t('cli.missingArgument', { name: 'path' }, ctx.locale));
    if (ctx.values.to && ctx.values.original) throw new UsageError(t('cli.badArguments', { details: '--to / --original' }, ctx.locale));
    const conflict = ctx.values.conflict ?? 'keep-both';
    if (conflict !== 'keep-both' && conflict !== 'replace' && conflict !== 'skip') throw new UsageError(t('cli.badArguments', { details: `--conflict ${conflict}` }, ctx.locale));
    const destination = ctx.values.to ? { kind: 'folder' as const, path: ctx.values.to } : { kind: 'original' as const };
    const jobs = watchJobs(ctx);
    const { jobId } = await call(ctx.host, ctx.session, 'restore', { snapshotId, paths, destination, conflict }).catch((error: unknown) => {
      jobs.stop();
      throw error;
    });
    if (!ctx.json) ctx.io.err(t('cli.restoreStarted', undefined, ctx.locale));
    const result = await jobs.finished(jobId).finally(jobs.stop);
    const report = result.restoreReport;
    emit(ctx, result, () => {
      if (!report) return result.error ? renderError(result.error, ctx.locale) : t('cli.jobFailed', { message: result.status }, ctx.locale);
      const lines = [
        t('cli.restoreDone', { restored: report.restored, unchanged: report.unchanged, keptBoth: report.keptBoth, skipped: report.skipped, replaced: report.replaced, failed: report.failed.length }, ctx.locale),
        t('cli.restoreDestination', { path: report.destination }, ctx.locale),
      ];
      if (report.replacedFolder) lines.push(t('cli.replacedFolder', { path: report.replacedFolder }, ctx.locale));
      for (const failure of report.failed) lines.push(`  ${failure.path}: ${failure.reason}`);
      return lines.join('\n');
    });
    return result.status === 'success' && (!report || report.failed.length === 0) ? exitCodes.ok : exitCodes.failure;
  },

  async config(ctx: CommandContext) {
    const sub = requireArg(ctx, 0, 'validate | import-backrest | undo-import | export-backrest');
    if (sub === 'validate') {
      const info = await call(ctx.host, ctx.session, 'getAppInfo', {});
      if (info.configProblem) throw new CliFailure(info.configProblem);
      const { config } = await call(ctx.host, ctx.session, 'getConfig', {});
      // Loadable is not the same as right: report what will not do what was meant. Warnings keep
      // exit 0; an error (every run of a repository or plan fails) exits 1.
      const { diagnostics } = await call(ctx.host, ctx.session, 'diagnoseConfig', {});
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      emit(ctx, { ok: errors === 0, repos: config.repos.length, plans: config.plans.length, diagnostics }, () => {
        const counts = { repos: countOf('repositories', config.repos.length, ctx.locale), plans: countOf('plans', config.plans.length, ctx.locale) };
        if (diagnostics.length === 0) return t('cli.configValid', counts, ctx.locale);
        const form = diagnostics.length === 1 ? 'one' : 'other';
        const head = t(errors > 0 ? `diag.cli.errors.${form}` : `diag.cli.warnings.${form}`, { ...counts, count: diagnostics.length }, ctx.locale);
        const lines = diagnostics.map((d) => `  ${t(d.severity === 'error' ? 'diag.cli.error' : 'diag.cli.warning', undefined, ctx.locale)} ${d.message}\n      ${d.action}`);
        return [head, ...lines].join('\n');
      });
      return errors > 0 ? exitCodes.failure : exitCodes.ok;
    }
    if (sub === 'import-backrest') {
      const file = requireArg(ctx, 1, 'file');
      const content = await readFile(file, 'utf8').catch(() => {
        throw new CofreError('error.notFound', { params: { what: file } });
      });
      const input = { content, mode: ctx.values.replace ? 'replace' as const : 'merge' as const, ...(ctx.values['take-instance'] ? { takeInstance: true } : {}) };
      if (ctx.values['dry-run']) {
        const preview = await call(ctx.host, ctx.session, 'previewImport', input);
        emit(ctx, preview, () => `${renderImportPreview(preview, ctx.locale)}\n${t('import.dryRun', undefined, ctx.locale)}`);
        return exitCodes.ok;
      }
      const result = await call(ctx.host, ctx.session, 'importBackrest', input);
      emit(ctx, result, () => renderImportResult(result, ctx.locale));
      return exitCodes.ok;
    }
    if (sub === 'undo-import') {
      const result = await call(ctx.host, ctx.session, 'undoImport', {});
      emit(ctx, result, () => renderUndone(result, ctx.locale));
      return exitCodes.ok;
    }
    if (sub === 'export-backrest') {
      const target = ctx.values.backrest;
      if (target !== undefined && !backrestTargets.includes(target as BackrestTarget)) {
        throw new UsageError(t('cli.badArguments', { details: `--backrest ${target} (1.10, 1.13, current)` }, ctx.locale));
      }
      const { content } = await call(ctx.host, ctx.session, 'exportBackrest', { includeSecrets: ctx.values['include-secrets'], ...(target ? { target: target as BackrestTarget } : {}) });
      const file = ctx.args[1];
      if (!file) {
        ctx.io.out(content.trimEnd());
        return exitCodes.ok;
      }
      await writeSecretFile(file, content);
      emit(ctx, { ok: true, file }, () => t('cli.exported', { file }, ctx.locale));
      return exitCodes.ok;
    }
    throw new UsageError(t('cli.unknownCommand', { command: `config ${sub}` }, ctx.locale));
  },

  async policy(ctx: CommandContext) {
    const sub = requireArg(ctx, 0, 'show');
    if (sub !== 'show') throw new UsageError(t('cli.unknownCommand', { command: `policy ${sub}` }, ctx.locale));
    const policy = ctx.agent.describePolicy();
    emit(ctx, policy, () => (policy ? JSON.stringify(policy, null, 2) : t('cli.noPolicy', undefined, ctx.locale)));
    return exitCodes.ok;
  },

  async fleet(ctx: CommandContext) {
    return fleetCommand(ctx).catch((error: unknown) => {
      throw error instanceof FleetUsageError ? new UsageError(error.message) : error;
    });
  },

  async run(ctx: CommandContext) {
    ctx.agent.start();
    ctx.io.err(t('cli.agentRunning', undefined, ctx.locale));
    await untilSignal();
    ctx.io.err(t('cli.agentStopping', undefined, ctx.locale));
    return exitCodes.ok;
  },

  async serve(ctx: CommandContext) {
    ctx.agent.start();
    // No shared default session: header-less clients get an anonymous one that cannot log in.
    const server = await startServer({
      host: ctx.agent,
      createSession: () => ctx.agent.createSession(),
      port: intOption(ctx, 'port', 0),
      token: ctx.env.COFRE_SERVE_TOKEN,
      staticDir: ctx.values.static ?? join(import.meta.dirname, '..', '..', 'dist', 'renderer'),
      log: (line) => ctx.agent.log.info(line),
    });
    // The token is a secret like any password: never in the log (the URL is printed once, here).
    ctx.agent.log.addSecrets([server.token]);
    if (ctx.json) ctx.io.out(JSON.stringify({ url: server.openUrl, port: server.port }));
    else ctx.io.out(`${t('server.listening', undefined, ctx.locale)}\n  ${server.openUrl}\n${t('server.stopHint', undefined, ctx.locale)}`);
    await untilSignal();
    await server.close();
    return exitCodes.ok;
  },
};
type CommandName = keyof typeof commands;

/** One-shot commands a user's CLI sends to the machine's service when one runs. */
const remoteCommands = new Set<string>(['status', 'backup', 'snapshots', 'history', 'browse', 'find', 'versions', 'restore']);

async function viaService(socketPath: string, command: CommandName, rest: Omit<CommandContext, 'agent' | 'host' | 'connection' | 'session'>): Promise<number> {
  const client = await ServiceClient.connect({ socketPath });
  try {
    // The connection is the session: the service bound it to this OS user.
    const ctx: CommandContext = { ...rest, agent: undefined as unknown as Agent, host: client, connection: 'service', session: { id: 'service-connection' } };
    if (rest.env.COFRE_TECHNICIAN_PASSWORD) await call(client, ctx.session, 'technicianLogin', { password: rest.env.COFRE_TECHNICIAN_PASSWORD });
    return await commands[command](ctx);
  } finally {
    client.close();
  }
}

async function runServiceCommand(args: string[], values: CommandContext['values'], io: Io, env: NodeJS.ProcessEnv, locale: Locale, json: boolean): Promise<number> {
  try {
    return await serviceMain({ args, socket: values.socket, restic: values.restic, json, locale, env, out: io.out, err: io.err });
  } catch (error) {
    if (error instanceof ServiceUsageError) throw new UsageError(error.message);
    throw error;
  }
}
const knownCommands = new Set<string>(Object.keys(commands));

function describeRetention(retention: RetentionOutcome, locale: Locale): string {
  if (retention.managedByServer) return t('cli.retentionByServer', undefined, locale);
  if (retention.status === 'cancelled') return t('cli.retentionCancelled', undefined, locale);
  if (retention.status === 'failure') return t('cli.retentionFailed', { message: retention.message ?? '' }, locale);
  if (retention.removed === 0) return t('cli.retentionNothing', undefined, locale);
  const form = new Intl.PluralRules(locale).select(retention.removed) === 'one' ? 'one' : 'other';
  return t(`cli.retentionApplied.${form}`, { count: retention.removed }, locale);
}

function more(count: number, locale: Locale): string {
  return count > 0 ? `\n${t('cli.moreResults', { count }, locale)}` : '';
}

const oneShot: ReadonlySet<string> = new Set(oneShotCommands);
/** What shells report for a process ended by the signal (128 + its number). */
const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * While a one-shot command runs, SIGINT/SIGTERM stop its jobs cleanly (restic gets SIGINT and
 * removes its lock) instead of killing the process under restic; a second signal exits at once.
 */
function interruptOnSignal(agent: Agent, announce: (signal: string) => void): { received(): keyof typeof signalExitCodes | null; dispose(): void } {
  let received: keyof typeof signalExitCodes | null = null;
  const onSignal = (signal: keyof typeof signalExitCodes) => {
    if (received) process.exit(signalExitCodes[received]);
    received = signal;
    announce(signal);
    agent.interrupt();
  };
  const listeners = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  process.on('SIGINT', listeners.SIGINT);
  process.on('SIGTERM', listeners.SIGTERM);
  return {
    received: () => received,
    dispose: () => {
      process.off('SIGINT', listeners.SIGINT);
      process.off('SIGTERM', listeners.SIGTERM);
    },
  };
}

/**
 * Resolves on the first SIGINT/SIGTERM so the agent can stop its jobs cleanly; a second signal
 * exits at once. The listeners stay installed: removing them would let another library's signal
 * hook (execa's child cleanup) re-raise the signal and kill the process mid-shutdown.
 */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = () => {
      if (received) process.exit(exitCodes.failure);
      received = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

// bin/cofre.mjs imports main(); running this file directly (`tsx electron/cli/main.ts`) works too.
const isEntryPoint = process.argv[1] !== undefined && /cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntryPoint) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = exitCodes.failure;
    },
  );
}
