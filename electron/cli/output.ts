// Human rendering of contract results for the terminal. Pure functions of (data, locale, now).
import type { AgentStatus, ApiOutput, Operation, SnapshotInfo } from '../core/api.js';
import type { ErrorPayload } from '../core/errors.js';
import { formatBytes, formatDateTime, formatDuration, formatRelative, t, type Locale, type MessageKey } from '../core/i18n/index.js';

export function renderStatus(status: AgentStatus, locale: Locale, now = new Date()): string {
  const lines = [t('cli.health', { state: t(`state.${status.health}` as MessageKey, undefined, locale) }, locale)];
  if (status.pausedUntil) lines.push(t('cli.pausedUntil', { when: formatDateTime(status.pausedUntil, locale) }, locale));
  if (status.plans.length === 0) lines.push(t('cli.noPlans', undefined, locale));
  for (const plan of status.plans) {
    lines.push(t('cli.planLine', { plan: plan.planId, repo: plan.repoId, state: t(`state.${plan.state}` as MessageKey, undefined, locale) }, locale));
    lines.push(plan.lastSuccessAt
      ? t('cli.lastBackup', { when: `${formatRelative(plan.lastSuccessAt, now, locale)} (${formatDateTime(plan.lastSuccessAt, locale)})` }, locale)
      : t('cli.lastBackupNever', undefined, locale));
    // Issue 15: an interrupted last attempt is said as such; times clamped after a clock skew are flagged.
    if (plan.lastOutcome === 'interrupted' && plan.lastAttemptAt) lines.push(t('cli.lastInterrupted', { when: formatDateTime(plan.lastAttemptAt, locale) }, locale));
    if (plan.clockSkew) lines.push(t('cli.clockSkew', undefined, locale));
    if (plan.nextRunAt) lines.push(t('cli.nextRun', { when: formatDateTime(plan.nextRunAt, locale) }, locale));
    if (plan.lastCause && plan.state !== 'ok' && plan.state !== 'running') {
      lines.push(t('cli.problem', { message: t(`cause.${plan.lastCause}` as MessageKey, undefined, locale) }, locale));
    }
  }
  return lines.join('\n');
}

export function renderError(error: ErrorPayload, locale: Locale): string {
  const lines = [t('cli.jobFailed', { message: error.message }, locale)];
  if (error.fields) for (const field of error.fields) lines.push(`  ${field.path}: ${field.message}`);
  if (error.action) lines.push(t('cli.action', { action: error.action }, locale));
  return lines.join('\n');
}

export function renderSnapshots(snapshots: SnapshotInfo[], locale: Locale): string {
  if (snapshots.length === 0) return t('cli.noSnapshots', undefined, locale);
  return table(
    ['ID', 'Data/Date', 'Host', 'Plan', 'Paths'],
    snapshots.map((s) => [s.shortId, formatDateTime(s.time, locale), s.hostname, s.planId ?? '-', s.paths.join(', ')]),
  );
}

export function renderHistory(items: Operation[], locale: Locale): string {
  if (items.length === 0) return t('cli.noHistory', undefined, locale);
  return table(
    ['#', 'Início/Start', 'Type', 'Plan', 'Status', 'Duration', 'Added', 'Cause'],
    items.map((op) => [
      String(op.id),
      formatDateTime(op.startedAt, locale),
      op.type,
      op.planId ?? '-',
      op.status,
      op.durationMs === null ? '-' : formatDuration(op.durationMs, locale),
      op.bytesAdded === null ? '-' : formatBytes(op.bytesAdded, locale),
      op.cause ?? '',
    ]),
  );
}

export function renderEntries(entries: ApiOutput<'browse'>['entries'], locale: Locale): string {
  if (entries.length === 0) return t('cli.noResults', undefined, locale);
  return table(
    ['Type', 'Size', 'Modified', 'Name'],
    entries.map((e) => [e.type === 'dir' ? 'dir' : e.type, e.type === 'dir' ? '' : formatBytes(e.size, locale), formatDateTime(e.mtime, locale), e.name]),
  );
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
