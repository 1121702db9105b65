// `cofre fleet`: the fleet audit for IT (technician only). Reads the repositories of the fleet
// file and prints a table (default), JSON, CSV, or writes a self-contained HTML report. `--check`
// is for cron / Task Scheduler: one summary line, exit 2 when a machine is overdue or never
// reported or a repository could not be read; `--ping URL` tells a Healthchecks-style monitor.
import { writeFile } from 'node:fs/promises';
import type { Agent } from '../core/agent/agent.js';
import { fleetDeps } from '../core/agent/fleet-handlers.js';
import type { SessionRef } from '../core/api.js';
import { CofreError } from '../core/errors.js';
import { renderCsv } from '../core/fleet/csv.js';
import { renderHtml } from '../core/fleet/html.js';
import { buildFleetReport, defaultFleetFile, loadFleetFile } from '../core/fleet/index.js';
import { t, type Locale } from '../core/i18n/index.js';
import { checkLine, fleetNeedsAttention, renderFleet } from './fleet-output.js';
import { sendPing } from './fleet-ping.js';

/** Options of `cofre fleet`, merged into the CLI's option list. */
export const fleetOptionSpec = {
  file: { type: 'string' },
  csv: { type: 'boolean', default: false },
  html: { type: 'string' },
  check: { type: 'boolean', default: false },
  department: { type: 'string' },
  refresh: { type: 'boolean', default: false },
  ping: { type: 'string' },
} as const;

export const fleetExitCodes = { ok: 0, attention: 2 } as const;

export interface FleetCommandContext {
  agent: Agent;
  session: SessionRef;
  io: { out: (text: string) => void; err: (text: string) => void };
  json: boolean;
  locale: Locale;
  /** The environment main() was given: `{ "env": NAME }` references are read from it. */
  env: NodeJS.ProcessEnv;
  values: { file?: string; csv?: boolean; html?: string; check?: boolean; department?: string; refresh?: boolean; ping?: string };
}

export class FleetUsageError extends Error {}

export async function fleetCommand(ctx: FleetCommandContext): Promise<number> {
  const { values, locale } = ctx;
  if ([ctx.json, values.csv, values.html !== undefined].filter(Boolean).length > 1) throw new FleetUsageError(t('fleet.cli.oneFormat', undefined, locale));
  if (values.ping !== undefined && !/^https?:\/\/[^\s]+$/i.test(values.ping)) throw new FleetUsageError(t('fleet.cli.badPing', undefined, locale));
  // The audit reads every department's repositories: the same gate as the settings.
  if (!ctx.agent.context.isTechnician(ctx.session)) throw new CofreError('error.technicianRequired');

  const file = values.file ?? defaultFleetFile(ctx.agent.context.options.configPath);
  const fleet = await loadFleetFile(file, locale);
  const report = await buildFleetReport(fleet, {
    file,
    ...(values.refresh ? { refresh: true } : {}),
    ...(values.department !== undefined ? { department: values.department } : {}),
  }, { ...fleetDeps(ctx.agent.context), env: ctx.env, locale });
  const attention = fleetNeedsAttention(report);

  if (ctx.json) ctx.io.out(JSON.stringify(report, null, 2));
  else if (values.csv) ctx.io.out(renderCsv(report, locale).replace(/\r\n$/, ''));
  else if (values.html !== undefined) {
    await writeFile(values.html, renderHtml(report, locale));
    ctx.io.err(t('fleet.cli.htmlWritten', { file: values.html }, locale));
  } else if (!values.check) ctx.io.out(renderFleet(report, locale));

  const line = checkLine(report, locale);
  if (values.check && !ctx.json && !values.csv) ctx.io.out(line);
  if (values.ping !== undefined) {
    const ping = await sendPing(values.ping, attention, line);
    // The origin only: a Healthchecks ping URL carries its check's secret UUID.
    if (!ping.ok) ctx.io.err(t('fleet.cli.pingFailed', { url: new URL(values.ping).origin, reason: ping.reason }, locale));
  }
  return values.check && attention ? fleetExitCodes.attention : fleetExitCodes.ok;
}
