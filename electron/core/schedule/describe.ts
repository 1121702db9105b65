// A schedule in words for the settings UI and the CLI ("Todos os dias às 12:30"). Only common
// shapes get a sentence; anything exotic is shown as its raw cron text, which is still honest.
// Each sentence is one translation key; lists of times/days are formatted by Intl.ListFormat.
import type { Schedule } from '../config/backrest-schema.js';
import { CofreError } from '../errors.js';
import { getLocale, t, type Locale, type MessageKey } from '../i18n/index.js';
import { parseCron } from './cron.js';
import { scheduleShape } from './next-run.js';

const maxListedTimes = 6;

export function describeSchedule(schedule: Schedule | null | undefined, requestedLocale?: Locale): string {
  // Intl needs the concrete locale: its own default is the OS language, not the app's.
  const locale = requestedLocale ?? getLocale();
  if (schedule?.disabled) return t('schedule.describe.disabled', undefined, locale);
  const shape = scheduleShape(schedule);
  if (shape.kind === 'off' || !schedule) return t('schedule.describe.off', undefined, locale);
  if (shape.kind === 'interval') {
    if (schedule.maxFrequencyHours) {
      const hours = schedule.maxFrequencyHours;
      return hours === 1 ? t('schedule.describe.everyHour', undefined, locale) : t('schedule.describe.everyHours', { count: hours }, locale);
    }
    const days = schedule.maxFrequencyDays ?? 1;
    return days === 1 ? t('schedule.describe.onceADay', undefined, locale) : t('schedule.describe.everyDays', { count: days }, locale);
  }
  const sentence = describeCron(shape.expression, locale);
  return schedule.clock === 'CLOCK_UTC' ? t('schedule.describe.inUtc', { schedule: sentence }, locale) : sentence;
}

/** Throws a translated CofreError when the schedule's cron text cannot be used. */
export function assertValidSchedule(schedule: Schedule | null | undefined): void {
  const shape = scheduleShape(schedule);
  if (shape.kind === 'cron' && !parseCron(shape.expression, undefined, new Date(0))) {
    throw new CofreError('schedule.error.invalidCron', { params: { expression: shape.expression }, cause: 'invalid-input' });
  }
}

function describeCron(expression: string, locale: Locale): string {
  const cron = parseCron(expression, undefined, new Date(0));
  if (!cron) return t('schedule.describe.invalid', { expression }, locale);
  const f = cron.fields;
  const custom = () => t('schedule.describe.custom', { expression }, locale);
  const minutes = numbers(f.minute.values);
  const hours = numbers(f.hour.values);
  const days = [...new Set(numbers(f.dayOfWeek.values).map((d) => d % 7))].sort((a, b) => a - b);
  const everyDay = days.length === 7;
  if (!f.month.isWildcard) return custom();

  if (!f.dayOfMonth.isWildcard) {
    const dom = numbers(f.dayOfMonth.values);
    if (!f.dayOfWeek.isWildcard || dom.length !== 1 || minutes.length !== 1 || hours.length !== 1) return custom();
    return t('schedule.describe.monthly', { day: dom[0], time: clock(hours[0]!, minutes[0]!) }, locale);
  }

  const allHours = hours.length === 24;
  const minuteStep = minutes.length > 1 ? evenStep(minutes, 60) : null;
  if (minuteStep !== null && allHours && everyDay) {
    return minuteStep === 1 ? t('schedule.describe.everyMinute', undefined, locale) : t('schedule.describe.everyMinutes', { count: minuteStep }, locale);
  }
  if (minutes.length === 1 && everyDay) {
    const minute = minutes[0]!;
    const hourStep = evenStep(hours, 24);
    if (hourStep !== null && (hourStep > 1 || allHours)) {
      if (hourStep === 1) return minute === 0 ? t('schedule.describe.everyHour', undefined, locale) : t('schedule.describe.hourlyAtMinute', { minute }, locale);
      // "0 */6" reads better as an interval; "0 0,12" as two times of day.
      if (hours.length >= 3) {
        return minute === 0
          ? t('schedule.describe.everyHours', { count: hourStep }, locale)
          : t('schedule.describe.everyHoursAtMinute', { count: hourStep, minute }, locale);
      }
    }
  }
  if (minutes.length * hours.length > maxListedTimes) return custom();

  const times = hours.flatMap((h) => minutes.map((m) => clock(h, m)));
  const time = list(times, locale);
  if (everyDay) return t('schedule.describe.daily', { time }, locale);
  if (days.join() === '1,2,3,4,5') return t('schedule.describe.weekdays', { time }, locale);
  if (days.join() === '0,6') return t('schedule.describe.weekends', { time }, locale);
  if (days.length === 1) return t(`schedule.describe.weekly.${days[0]}` as MessageKey, { time }, locale);
  return t('schedule.describe.weeklyDays', { days: list(days.map((d) => weekdayName(d, locale)), locale), time }, locale);
}

function numbers(values: readonly (number | string)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number');
}

/** The step when `values` are 0, s, 2s, ... covering the whole range; null otherwise. */
function evenStep(values: number[], range: number): number | null {
  if (values.length === 0 || values[0] !== 0 || range % values.length !== 0) return null;
  const step = range / values.length;
  return values.every((v, i) => v === i * step) ? step : null;
}

function clock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function list(items: string[], locale: Locale): string {
  return new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }).format(items);
}

function weekdayName(day: number, locale: Locale): string {
  // 2023-01-01 was a Sunday (day 0).
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + day)));
}
