// What the technician's Diagnóstico view shows and copies for support. Nothing here carries a
// secret value: log lines come redacted, the policy is described by state and problem, paths are folders.
import type { ApiOutput, SessionRef } from '../api.js';
import { diagnoseSettings, type ConnectionDeps } from './connection.js';
import { messageOf } from './handler-kit.js';
import type { CatalogPort, PolicyPort, SettingsPort, Whereabouts } from './ports.js';

export interface SupportDeps extends ConnectionDeps {
  where: Whereabouts;
  hostname: string;
  policy: Pick<PolicyPort, 'source' | 'path' | 'problem' | 'locked'>;
  settings: Pick<SettingsPort, 'effective' | 'secrets' | 'problem'>;
  catalog: Pick<CatalogPort, 'indexStatus'>;
  log: ConnectionDeps['log'] & { tail(limit: number): Promise<string[]> };
}

export async function supportDiagnostics(ctx: SupportDeps, session: SessionRef, logLines: number): Promise<ApiOutput<'getDiagnostics'>> {
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
    restic = { binary: ctx.where.resticBinary ?? null, version: null, capabilities: [], problem: messageOf(error, locale) };
  }
  const policy = ctx.policy;
  const problem = policy.problem ? [policy.problem.message, policy.problem.detail].filter(Boolean).join(' · ') : null;
  const { diagnostics } = await diagnoseSettings(ctx, undefined);
  const configProblem = ctx.settings.problem();
  const configProblems = configProblem
    ? [{ code: configProblem.code, severity: 'error' as const, message: configProblem.message, action: configProblem.action ?? '' }, ...diagnostics]
    : diagnostics;
  return {
    appVersion: ctx.where.version ?? '0.1.0',
    platform: process.platform,
    hostname: ctx.hostname,
    restic,
    paths: [
      { name: 'config', path: ctx.where.configPath },
      { name: 'policy', path: policy.path ?? ctx.where.policyPath ?? '' },
      { name: 'data', path: ctx.where.dataDir },
      { name: 'cache', path: ctx.where.cacheDir },
      { name: 'log', path: `${ctx.where.dataDir}/logs/cofre.log` },
    ].filter((p) => p.path !== ''),
    policy: { status: policy.source, path: policy.path, problem: problem ? ctx.log.scrub(problem) : null, locked: policy.locked() },
    configProblems: configProblems.map((d) => ({ ...d, message: ctx.log.scrub(d.message), action: ctx.log.scrub(d.action) })),
    index: ctx.catalog.indexStatus(session),
    log: (await ctx.log.tail(logLines)).map((line) => ctx.log.scrub(line)),
  };
}
