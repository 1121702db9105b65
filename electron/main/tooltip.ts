// The tray tooltip: what a person sees when hovering the icon. First line says the state, second
// line when the last successful backup happened ("Último backup: há 2 horas").
import { formatDateTime, formatRelative, t, type Locale } from '../core/i18n/index.js';
import type { AgentStatus } from '../core/api.js';

/** Windows truncates tray tooltips at 127 characters (NOTIFYICONDATA.szTip is 128 with the NUL). */
export const maxTooltipLength = 127;

export function lastSuccessAt(status: AgentStatus): string | null {
  let latest: string | null = null;
  for (const plan of status.plans) {
    if (plan.lastSuccessAt && (!latest || Date.parse(plan.lastSuccessAt) > Date.parse(latest))) latest = plan.lastSuccessAt;
  }
  return latest;
}

export function trayTooltip(status: AgentStatus, now: Date, locale: Locale): string {
  const lines = [t('desktop.tooltip.title', undefined, locale)];
  const headline = headlineFor(status, now, locale);
  if (headline) lines.push(headline);
  if (status.health !== 'not-configured') {
    const last = lastSuccessAt(status);
    lines.push(last
      ? t('desktop.tooltip.lastBackup', { when: formatRelative(last, now, locale) }, locale)
      : t('desktop.tooltip.never', undefined, locale));
  }
  const text = lines.join('\n');
  return text.length <= maxTooltipLength ? text : `${text.slice(0, maxTooltipLength - 1)}…`;
}

function headlineFor(status: AgentStatus, now: Date, locale: Locale): string | null {
  switch (status.health) {
    case 'ok':
      return null;
    case 'running': {
      const progress = status.plans.find((plan) => plan.running?.progress)?.running?.progress;
      return progress
        ? t('desktop.tooltip.running', { percent: Math.floor(progress.percentDone * 100) }, locale)
        : t('desktop.tooltip.runningStarting', undefined, locale);
    }
    case 'warning':
      return t('desktop.tooltip.warning', undefined, locale);
    case 'failed':
      return t('desktop.tooltip.failed', undefined, locale);
    case 'overdue':
      return t('desktop.tooltip.overdue', undefined, locale);
    case 'paused':
      return status.pausedUntil && Date.parse(status.pausedUntil) > now.getTime()
        ? t('desktop.tooltip.pausedUntil', { until: formatDateTime(status.pausedUntil, locale) }, locale)
        : t('desktop.tooltip.paused', undefined, locale);
    case 'not-configured':
      return t('desktop.tooltip.notConfigured', undefined, locale);
  }
}
