// One translation layer for every face (core errors, CLI, HTTP, renderer). Pure TS, no Node
// imports, so the renderer may use it too. Messages use ICU-like `{name}` placeholders; plural
// forms are separate keys chosen by the caller through `plural()`.
import { catalog, type MessageKey } from './catalog.js';

export const locales = ['pt-BR', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'pt-BR';
export type { MessageKey };

export type MessageParams = Record<string, string | number | undefined>;

let currentLocale: Locale = defaultLocale;

export function setLocale(locale: Locale): void {
  currentLocale = locale;
}

export function getLocale(): Locale {
  return currentLocale;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Picks the closest supported locale for a BCP 47 tag such as `pt_BR.UTF-8` or `en-US`. */
export function matchLocale(tag: string | undefined | null): Locale {
  const lower = (tag ?? '').toLowerCase().replace('_', '-');
  if (lower.startsWith('en')) return 'en';
  return defaultLocale;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalog.en, key);
}

export function t(key: MessageKey, params?: MessageParams, locale: Locale = currentLocale): string {
  const template = catalog[locale][key] ?? catalog.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}

/**
 * Picks the plural form of `base` for `count` by the locale's Intl plural rules (`.one`, `.other`,
 * and `.zero`/`.few`/`.many` when a catalog has them) and fills `{count}` with the number.
 */
export function tPlural(base: string, count: number, params: MessageParams = {}, locale: Locale = currentLocale): string {
  const rule = new Intl.PluralRules(locale).select(count);
  const exact = count === 0 ? `${base}.zero` : null;
  const candidates = [exact, `${base}.${rule}`, `${base}.other`].filter((k): k is string => k !== null);
  const key = candidates.find((k) => hasMessage(k)) ?? `${base}.other`;
  return t(key as MessageKey, { count, ...params }, locale);
}

export type CountNoun = 'repositories' | 'plans' | 'secrets' | 'snapshots' | 'files' | 'seconds';

/** "1 repositório", "2 repositórios": a number with its noun in agreement, for messages that count several things. */
export function countOf(noun: CountNoun, count: number, locale: Locale = currentLocale): string {
  return tPlural(`common.count.${noun}`, count, {}, locale);
}

export function formatNumber(value: number, locale: Locale = currentLocale): string {
  return new Intl.NumberFormat(locale).format(value);
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function formatBytes(bytes: number, locale: Locale = currentLocale): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: byteUnits[unit],
    // English's short form of "byte" has no plural ("12 byte"); the long form reads right.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

export function formatDateTime(date: Date | string | number, locale: Locale = currentLocale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(date));
}

const relativeSteps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity],
];

/** "há 2 horas" / "2 hours ago"; future dates read "em 3 horas". */
export function formatRelative(date: Date | string | number, now: Date = new Date(), locale: Locale = currentLocale): string {
  let delta = (new Date(date).getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of relativeSteps) {
    if (Math.abs(delta) < size) return rtf.format(Math.round(delta), unit);
    delta /= size;
  }
  return rtf.format(Math.round(delta), 'year');
}

/**
 * A past event relative to now: "há 2 horas". A date slightly in the future (the server's clock runs
 * ahead of this window's, or the display refreshes late) is clamped: past events are never "em 13
 * segundos"; anything under a minute reads "agora há pouco" / "just now".
 */
export function formatPast(date: Date | string | number, now: Date = new Date(), locale: Locale = currentLocale): string {
  const ageMs = now.getTime() - new Date(date).getTime();
  if (ageMs < 60_000) return t('common.justNow', undefined, locale);
  return formatRelative(date, now, locale);
}

/** Time of day, with "hoje"/"ontem" when it is close: "hoje, 14:30", "ontem, 09:05", "27/11/2026, 14:30". */
export function formatDayTime(date: Date | string | number, now: Date = new Date(), locale: Locale = currentLocale): string {
  const when = new Date(date);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(when);
  const day = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day(when) === day(now)) return t('common.todayAt', { time }, locale);
  if (day(when) === day(yesterday)) return t('common.yesterdayAt', { time }, locale);
  return formatDateTime(when, locale);
}

/** Just the time of day: "14:36". */
export function formatTime(date: Date | string | number, locale: Locale = currentLocale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(date));
}

export function formatDuration(ms: number, locale: Locale = currentLocale): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const unit = (value: number, u: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  if (h > 0) return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
  if (m > 0) return `${unit(m, 'minute')} ${unit(s, 'second')}`;
  return unit(s, 'second');
}
