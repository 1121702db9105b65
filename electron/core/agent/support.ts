// What the technician's Diagnóstico view shows and copies for support, and the check that decides,
// before a restore starts, whether this session may do it. Nothing here carries a secret value:
// log lines come redacted, the policy is described by state and problem, paths are folders.
import type { ApiOutput, ApiParsedInput, SessionRef } from '../api.js';
import { CofreError } from '../errors.js';
import { t } from '../i18n/index.js';
import { pathInScope, outOfScope } from '../restore/scope.js';
import { fromLocalPath, parseSnapshotPath } from '../restore/snapshot-path.js';
import type { AgentContext } from './agent.js';
import { diagnoseSettings } from './connection.js';

const snapshotForm = (path: string): string => (/^[A-Za-z]:/.test(path) ? fromLocalPath(path, 'win32') : path);

export function checkRestore(ctx: AgentContext, session: SessionRef, input: ApiParsedInput<'checkRestore'>): ApiOutput<'checkRestore'> {
  const locale = ctx.locale();
  const caps = ctx.policy.capabilities();
  if (!caps.restore) return { problem: { field: 'paths', message: t('error.notAllowedByPolicy', undefined, locale) } };
  const scope = ctx.catalog.scope(session);
  for (const path of input.paths) {
    let target: string;
    try {
      target = parseSnapshotPath(snapshotForm(path));
    } catch (error) {
      return { problem: { field: 'paths', message: messageOf(error, locale) } };
    }
    if (!pathInScope(scope, target)) return { problem: { field: 'paths', message: outOfScope(scope, target).toPayload(locale).message } };
  }
  if (input.destination.kind === 'folder' && !(caps.restoreOutsideHome || scope.technician)) {
    const folder = fromLocalPath(input.destination.path);
    if (!pathInScope(scope, folder)) {
      const contact = scope.supportContact?.trim();
      const message = contact
        ? t('restore.error.destinationOutOfScope.contact', { path: input.destination.path, contact }, locale)
        : t('restore.error.destinationOutOfScope', { path: input.destination.path }, locale);
      return { problem: { field: 'destination', message } };
    }
  }
  return { problem: null };
}

function messageOf(error: unknown, locale: ReturnType<AgentContext['locale']>): string {
  return error instanceof CofreError ? error.toPayload(locale).message : t('error.internal', undefined, locale);
}

export async function supportDiagnostics(ctx: AgentContext, session: SessionRef, logLines: number): Promise<ApiOutput<'getDiagnostics'>> {
  const locale = ctx.locale();
  let restic: ApiOutput<'getDiagnostics'>['restic'];
  try {
    const detected = await ctx.engines.restic();
    const { version, ...flags } = detected.capabilities;
    restic = {
      binary: detected.binary,
      version: version.version,
      capabilities: Object.entries(flags).filter(([, on]) => on === true).map(([name]) => name).sort(),
      problem: null,
    };
  } catch (error) {
    restic = { binary: ctx.options.resticBinary ?? null, version: null, capabilities: [], problem: messageOf(error, locale) };
  }
  const policy = ctx.policy;
  const problem = policy.problem ? [policy.problem.message, policy.problem.detail].filter(Boolean).join(' · ') : null;
  const { diagnostics } = await diagnoseSettings(ctx, undefined);
  const configProblem = ctx.configProblem();
  const configProblems = configProblem
    ? [{ code: configProblem.code, severity: 'error' as const, message: configProblem.message, action: configProblem.action ?? '' }, ...diagnostics]
    : diagnostics;
  return {
    appVersion: ctx.options.version ?? '0.1.0',
    platform: process.platform,
    hostname: ctx.identity.hostname,
    restic,
    paths: [
      { name: 'config', path: ctx.options.configPath },
      { name: 'policy', path: policy.path ?? ctx.options.policyPath ?? '' },
      { name: 'data', path: ctx.options.dataDir },
      { name: 'cache', path: ctx.options.cacheDir },
      { name: 'log', path: `${ctx.options.dataDir}/logs/cofre.log` },
    ].filter((p) => p.path !== ''),
    policy: { status: policy.source, path: policy.path, problem: problem ? ctx.log.scrub(problem) : null, locked: policy.locked() },
    configProblems: configProblems.map((d) => ({ ...d, message: ctx.log.scrub(d.message), action: ctx.log.scrub(d.action) })),
    index: ctx.catalog.indexStatus(session),
    log: (await ctx.log.tail(logLines)).map((line) => ctx.log.scrub(line)),
  };
}
