// The fleet report in the terminal: one table of machines (worst first within each department),
// the repositories that could not be read with their cause, and the one-line summary.
import { t, type Locale } from '../core/i18n/index.js';
import { formatAge, formatCount, formatSize, formatWhen, planLabel, stateLabel } from '../core/fleet/format.js';
import type { FleetReport } from '../core/fleet/schema.js';
import { table } from './output.js';

const marks = { green: 'OK ', amber: '!  ', red: '!! ' } as const;

export function renderFleet(report: FleetReport, locale: Locale): string {
  const col = (key: Parameters<typeof t>[0]) => t(key, undefined, locale);
  const blocks: string[] = [];
  if (report.machines.length === 0) blocks.push(col('fleet.noMachines'));
  else {
    blocks.push(table(
      [col('fleet.col.state'), col('fleet.col.department'), col('fleet.col.host'), col('fleet.col.plan'), col('fleet.col.last'), col('fleet.col.age'),
        col('fleet.col.files'), col('fleet.col.size'), col('fleet.col.alerts')],
      report.machines.map((m) => [
        `${marks[m.color]}${stateLabel(m, locale)}`, m.department, m.host, planLabel(m.plan, locale), formatWhen(m.lastSnapshotAt, report.timezone, locale),
        formatAge(m.ageHours, locale), formatCount(m.lastFiles, locale), formatSize(m.lastBytes, locale), m.alerts.map((a) => a.message).join(' '),
      ]),
    ));
  }
  const unreadable = report.repositories.filter((r) => !r.readable);
  if (unreadable.length > 0) {
    const lines = [col('fleet.unreadableTitle')];
    for (const r of unreadable) lines.push(`  !! ${r.department} / ${r.id}: ${r.message ?? r.cause ?? ''}${r.action ? `\n     ${r.action}` : ''}`);
    blocks.push(lines.join('\n'));
  }
  blocks.push(report.summary);
  return blocks.join('\n\n');
}

/** `--check`: exit non-zero when a machine is overdue or never reported, or a repository is unreadable. */
export function fleetNeedsAttention(report: FleetReport): boolean {
  return report.totals.overdue > 0 || report.totals.never > 0 || report.totals.unreadable > 0;
}

export function checkLine(report: FleetReport, locale: Locale): string {
  return t(fleetNeedsAttention(report) ? 'fleet.check.problem' : 'fleet.check.ok', { summary: report.summary }, locale);
}
