// Thin wrapper over cron-parser 5: Backrest's cron strings have 5 fields (no seconds), evaluated
// either in local time or in UTC. Everything here is pure; the zone comes from the caller so
// tests do not depend on the machine's TZ.
import { CronExpressionParser, type CronExpression } from 'cron-parser';

/** An IANA zone name ("UTC", "America/Sao_Paulo") or undefined for the process' local zone. */
export type CronZone = string | undefined;

const macros = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly', '@weekdays', '@weekends']);

/** True when `expression` is a 5-field cron (or a daily-or-slower macro) that can fire at all. */
export function isValidCron(expression: string): boolean {
  return parseCron(expression, undefined, new Date(0)) !== null;
}

function hasFiveFields(expression: string): boolean {
  const trimmed = expression.trim();
  if (macros.has(trimmed.toLowerCase())) return true;
  return trimmed.split(/\s+/).length === 5;
}

// Parsing costs more than evaluating, and the scheduler evaluates the same few expressions all
// day: keep parsed ones (per zone) and move them with reset(). Bounded so edits cannot grow it.
const parsed = new Map<string, CronExpression | null>();
const maxParsed = 256;

/** Parses a Backrest cron string; null when it is malformed, has a seconds field, or never fires. */
export function parseCron(expression: string, zone: CronZone, currentDate: Date): CronExpression | null {
  const key = `${zone ?? ''}|${expression.trim()}`;
  let cron = parsed.get(key);
  if (cron === undefined) {
    cron = null;
    if (hasFiveFields(expression)) {
      try {
        cron = CronExpressionParser.parse(expression.trim(), { currentDate, ...(zone ? { tz: zone } : {}) });
      } catch {
        cron = null;
      }
    }
    if (parsed.size >= maxParsed) parsed.clear();
    parsed.set(key, cron);
  }
  cron?.reset(currentDate);
  return cron;
}

/** First fire time strictly after `after`, or null when the expression is invalid. */
export function nextCronFire(expression: string, zone: CronZone, after: Date): Date | null {
  const cron = parseCron(expression, zone, after);
  if (!cron) return null;
  try {
    return cron.next().toDate();
  } catch {
    return null;
  }
}

/** The latest fire time at or before `at` (cron-parser's prev() is exclusive, hence +1 ms). */
export function latestCronFire(expression: string, zone: CronZone, at: Date): Date | null {
  const cron = parseCron(expression, zone, new Date(at.getTime() + 1));
  if (!cron) return null;
  try {
    return cron.prev().toDate();
  } catch {
    return null;
  }
}

/** `count` fire times strictly after `after`. */
export function cronFires(expression: string, zone: CronZone, after: Date, count: number): Date[] {
  const cron = parseCron(expression, zone, after);
  if (!cron || count <= 0) return [];
  try {
    return cron.take(count).map((d) => d.toDate());
  } catch {
    return [];
  }
}
