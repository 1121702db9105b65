// The schedule editor's form model and its mapping to/from Backrest's Schedule object. Common
// patterns get friendly controls; anything else stays editable as a raw cron expression.
import type { Schedule } from '../../../electron/core/config/backrest-schema.js';

export type ScheduleMode = 'disabled' | 'hourly' | 'daily' | 'weekly' | 'everyHours' | 'everyDays' | 'cron';

export interface ScheduleForm {
  mode: ScheduleMode;
  minute: number;
  hour: number;
  /** 0 = Sunday ... 6 = Saturday, as in cron. */
  weekdays: number[];
  everyHours: number;
  everyDays: number;
  cron: string;
  utc: boolean;
}

export const defaultScheduleForm: ScheduleForm = { mode: 'daily', minute: 0, hour: 12, weekdays: [1, 2, 3, 4, 5], everyHours: 1, everyDays: 1, cron: '0 12 * * *', utc: false };

const int = (s: string | undefined, min: number, max: number): number | null => {
  if (s === undefined || !/^\d{1,2}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
};

function parseWeekdays(field: string): number[] | null {
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const range = /^(\d)-(\d)$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > to || to > 7) return null;
      for (let d = from; d <= to; d += 1) days.add(d % 7);
      continue;
    }
    const d = int(part, 0, 7);
    if (d === null) return null;
    days.add(d % 7);
  }
  return [...days].sort((a, b) => a - b);
}

export function scheduleToForm(schedule: Schedule | undefined): ScheduleForm {
  const base = { ...defaultScheduleForm, utc: schedule?.clock === 'CLOCK_UTC' };
  if (!schedule || schedule.disabled) return { ...base, mode: 'disabled' };
  if (schedule.maxFrequencyHours) return { ...base, mode: 'everyHours', everyHours: schedule.maxFrequencyHours };
  if (schedule.maxFrequencyDays) return { ...base, mode: 'everyDays', everyDays: schedule.maxFrequencyDays };
  const cron = (schedule.cron ?? '').trim();
  if (!cron) return { ...base, mode: 'disabled' };
  const fields = cron.split(/\s+/);
  const withCron = { ...base, cron };
  if (fields.length !== 5) return { ...withCron, mode: 'cron' };
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minute = int(m, 0, 59);
  if (minute === null || dom !== '*' || mon !== '*') return { ...withCron, mode: 'cron' };
  if (h === '*' && dow === '*') return { ...withCron, mode: 'hourly', minute };
  const hour = int(h, 0, 23);
  if (hour === null) return { ...withCron, mode: 'cron' };
  if (dow === '*') return { ...withCron, mode: 'daily', minute, hour };
  const weekdays = parseWeekdays(dow);
  if (!weekdays || weekdays.length === 0) return { ...withCron, mode: 'cron' };
  return { ...withCron, mode: 'weekly', minute, hour, weekdays };
}

/**
 * Builds the Backrest schedule. Fields of `previous` this editor does not know survive; the mode
 * fields (`disabled`, `cron`, `maxFrequency*`, `clock`) are replaced as a whole since only one may be set.
 */
export function formToSchedule(form: ScheduleForm, previous?: Schedule): Schedule {
  const { disabled: _d, cron: _c, maxFrequencyDays: _md, maxFrequencyHours: _mh, clock: _k, ...rest } = previous ?? {};
  const clock = form.utc ? 'CLOCK_UTC' : 'CLOCK_LOCAL';
  switch (form.mode) {
    case 'disabled':
      return { ...rest, disabled: true };
    case 'hourly':
      return { ...rest, cron: `${form.minute} * * * *`, clock };
    case 'daily':
      return { ...rest, cron: `${form.minute} ${form.hour} * * *`, clock };
    case 'weekly': {
      const days = [...new Set(form.weekdays)].sort((a, b) => a - b);
      return { ...rest, cron: `${form.minute} ${form.hour} * * ${days.length ? days.join(',') : '*'}`, clock };
    }
    case 'everyHours':
      return { ...rest, maxFrequencyHours: Math.max(1, Math.round(form.everyHours)), clock: 'CLOCK_LAST_RUN_TIME' };
    case 'everyDays':
      return { ...rest, maxFrequencyDays: Math.max(1, Math.round(form.everyDays)), clock: 'CLOCK_LAST_RUN_TIME' };
    case 'cron':
      return { ...rest, cron: form.cron.trim(), clock };
  }
}

/**
 * Changes the editor's mode keeping what the schedule means. Switching to "Personalizado (cron)"
 * writes the current schedule as cron (daily at 09:30 becomes `30 9 * * *`) instead of dropping it;
 * switching from cron to a friendly mode picks up the time a simple cron expression names.
 */
export function switchScheduleMode(form: ScheduleForm, mode: ScheduleMode): ScheduleForm {
  if (mode === form.mode) return form;
  if (mode === 'cron') return { ...form, mode, cron: cronOf(form) };
  if (form.mode === 'cron') {
    const parsed = scheduleToForm({ cron: form.cron });
    const time = parsed.mode === 'cron' ? {} : { minute: parsed.minute, hour: parsed.hour, ...(parsed.mode === 'weekly' ? { weekdays: parsed.weekdays } : {}) };
    return { ...form, ...time, mode };
  }
  return { ...form, mode };
}

function cronOf(form: ScheduleForm): string {
  switch (form.mode) {
    case 'hourly':
    case 'daily':
    case 'weekly':
      return formToSchedule(form).cron ?? form.cron;
    case 'everyHours': {
      const n = Math.max(1, Math.round(form.everyHours));
      if (n < 24) return n === 1 ? `${form.minute} * * * *` : `${form.minute} */${n} * * *`;
      const days = Math.round(n / 24);
      return days === 1 ? `${form.minute} ${form.hour} * * *` : `${form.minute} ${form.hour} */${days} * *`;
    }
    case 'everyDays': {
      const n = Math.max(1, Math.round(form.everyDays));
      return n === 1 ? `${form.minute} ${form.hour} * * *` : `${form.minute} ${form.hour} */${n} * *`;
    }
    case 'disabled':
    case 'cron':
      return form.cron;
  }
}
