// The fleet report as CSV for spreadsheets and scripts: RFC 4180 (comma separated, fields quoted
// when they hold a comma, quote or line break, CRLF line ends), UTF-8 with a byte-order mark so
// Excel reads "Saúde" right. Column names and state/cause values are stable identifiers (scripts);
// `*_label` / `message` columns are the translated words (people). Dates are ISO 8601 (UTC).
// Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with "'".
import { t, type Locale } from '../i18n/index.js';
import { frequencyLabel, planLabel, stateLabel } from './format.js';
import type { FleetReport } from './schema.js';

export const csvColumns = [
  'department', 'repository', 'host', 'plan', 'created_by', 'state', 'state_label', 'last_snapshot_at', 'age_hours',
  'last_files', 'last_bytes', 'snapshot_count', 'expected', 'late_at', 'overdue_at', 'cause', 'message',
] as const;

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(report: FleetReport, locale: Locale): string {
  const rows: Array<Array<string | number | null>> = [[...csvColumns]];
  for (const m of report.machines) {
    rows.push([
      m.department, m.repoId, m.host, m.plan === null ? planLabel(null, locale) : m.plan, m.createdBy, m.state, stateLabel(m, locale),
      m.lastSnapshotAt, m.ageHours, m.lastFiles, m.lastBytes, m.snapshotCount, frequencyLabel(m.frequency, locale), m.lateAt, m.overdueAt,
      null, m.alerts.map((a) => a.message).join(' | ') || null,
    ]);
  }
  for (const r of report.repositories.filter((repo) => !repo.readable)) {
    const message = [r.message, r.action].filter(Boolean).join(' ') || null;
    rows.push([r.department, r.id, null, null, null, 'unreadable', t('fleet.state.unreadable', undefined, locale), null, null, null, null, null, null, null, null, r.cause, message]);
  }
  return '\uFEFF' + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
