// How the fleet report's values read for people, shared by the terminal table, the CSV's label
// columns and the HTML report. Times are shown in the fleet's time zone, not the viewer's.
import { formatBytes, formatNumber, t, type Locale, type MessageKey } from '../i18n/index.js';
import type { FleetMachine, Frequency } from './schema.js';

export const dash = '—';

export function formatWhen(iso: string | null, timezone: string, locale: Locale): string {
  if (!iso) return dash;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: timezone }).format(new Date(iso));
}

export function formatAge(hours: number | null, locale: Locale): string {
  if (hours === null) return dash;
  if (hours < 48) return t('fleet.age.hours', { hours: Math.round(hours) }, locale);
  return t('fleet.age.days', { days: Math.floor(hours / 24) }, locale);
}

export function formatCount(value: number | null, locale: Locale): string {
  return value === null ? dash : formatNumber(value, locale);
}

export function formatSize(value: number | null, locale: Locale): string {
  return value === null ? dash : formatBytes(value, locale);
}

export function frequencyLabel(frequency: Frequency, locale: Locale): string {
  if (typeof frequency === 'object') return t('fleet.frequency.everyHours', { hours: frequency.everyHours }, locale);
  return t(`fleet.frequency.${frequency}` as MessageKey, undefined, locale);
}

export function planLabel(plan: string | null, locale: Locale): string {
  return plan ?? t('fleet.noPlan', undefined, locale);
}

export function stateLabel(machine: Pick<FleetMachine, 'state'>, locale: Locale): string {
  return t(`fleet.state.${machine.state}` as MessageKey, undefined, locale);
}
