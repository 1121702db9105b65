// The fleet audit's contract method. Self-contained on purpose: the audit reads other machines'
// repositories listed in the fleet file (`<config dir>/fleet.json`), not this machine's config, so
// it needs only paths, secrets, the restic binary and the log from the agent.
import { join } from 'node:path';
import type { ApiOutput, ApiParsedInput } from '../api.js';
import { buildFleetReport, defaultFleetFile, loadFleetFile, type ReportDeps } from '../fleet/index.js';
import type { AgentContext } from './agent.js';

/** What the audit needs from an agent; the CLI builds the same for `cofre fleet --file`. */
export function fleetDeps(ctx: AgentContext): ReportDeps {
  const env = ctx.options.env ?? process.env;
  return {
    resticBinary: ctx.options.resticBinary ?? env.COFRE_RESTIC ?? 'restic',
    cacheDir: join(ctx.options.cacheDir, 'fleet'),
    resticCacheDir: join(ctx.options.cacheDir, 'restic'),
    secrets: ctx.options.secrets,
    env,
    log: (entry) => ctx.log.write(entry.level, entry.message),
    addSecrets: (values) => ctx.log.addSecrets(values),
    locale: ctx.locale(),
    now: () => ctx.now(),
  };
}

export function fleetHandlers(ctx: AgentContext): {
  fleetReport: (input: ApiParsedInput<'fleetReport'>) => Promise<ApiOutput<'fleetReport'>>;
} {
  return {
    async fleetReport(input) {
      const file = defaultFleetFile(ctx.options.configPath);
      const fleet = await loadFleetFile(file, ctx.locale());
      return buildFleetReport(fleet, { file, ...input }, fleetDeps(ctx));
    },
  };
}
