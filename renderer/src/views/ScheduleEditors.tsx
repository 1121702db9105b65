// Schedule and retention editors: friendly controls over Backrest's objects, with the agent's own
// description of the result ("todo dia às 12:00", next three runs) so what is saved is what is read.
import { useEffect, useState } from 'react';
import type { Retention, Schedule } from '../../../electron/core/config/backrest-schema.js';
import { formatDateTime, getLocale, t, type MessageKey } from '../../../electron/core/i18n/index.js';
import type { ErrorPayload } from '../../../electron/core/errors.js';
import { Field, toPayload } from '../components/common.js';
import { TimeSelect } from '../components/LocaleControls.js';
import { bucketFields, formToRetention, retentionKeepsSomething, retentionToForm, type RetentionForm, type RetentionMode } from '../logic/retention-form.js';
import { formToSchedule, scheduleToForm, switchScheduleMode, type ScheduleForm, type ScheduleMode } from '../logic/schedule-form.js';
import { validateCron } from '../logic/validate.js';
import { useClient } from '../state/store.js';

const scheduleModes: ScheduleMode[] = ['hourly', 'daily', 'weekly', 'everyHours', 'everyDays', 'cron', 'disabled'];

/** Calls the agent after the user paused typing; keeps the last answer or error. */
function useDebounced<T>(key: string, fn: () => Promise<T>, skip: boolean): { value: T | null; error: ErrorPayload | null } {
  const [state, setState] = useState<{ value: T | null; error: ErrorPayload | null }>({ value: null, error: null });
  useEffect(() => {
    if (skip) return;
    let live = true;
    const timer = setTimeout(() => {
      fn().then(
        (value) => live && setState({ value, error: null }),
        (error) => live && setState({ value: null, error: toPayload(error) }),
      );
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, skip]);
  return state;
}

export function ScheduleEditor({ value, onChange, disabled, onInvalid }: { value: Schedule | undefined; onChange: (s: Schedule) => void; disabled?: boolean; onInvalid?: (text: string | null) => void }) {
  const client = useClient();
  const [form, setForm] = useState<ScheduleForm>(() => scheduleToForm(value));
  const update = (patch: Partial<ScheduleForm>) => {
    // A new mode keeps what the schedule means (daily 09:30 → cron `30 9 * * *`), not the editor's defaults.
    const next = patch.mode ? switchScheduleMode(form, patch.mode) : { ...form, ...patch };
    setForm(next);
    const cronProblem = next.mode === 'cron' ? validateCron(next.cron) : null;
    onInvalid?.(cronProblem ? next.cron : null);
    if (!cronProblem) onChange(formToSchedule(next, value));
  };
  const cronProblem = form.mode === 'cron' ? validateCron(form.cron) : null;
  const schedule = formToSchedule(form, value);
  const preview = useDebounced(JSON.stringify(schedule), () => client.call('previewSchedule', { schedule }), Boolean(cronProblem));
  const weekdayNames = Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat(getLocale(), { weekday: 'short' }).format(new Date(2024, 0, 7 + d)));

  return (
    <fieldset className="editor" disabled={disabled}>
      <legend>{t('ui.schedule.title')}</legend>
      <div className="row gap-m wrap align-end">
        <Field label={t('ui.schedule.mode')}>
          {(p) => (
            <select {...p} value={form.mode} onChange={(e) => update({ mode: e.target.value as ScheduleMode })}>
              {scheduleModes.map((m) => <option key={m} value={m}>{t(`ui.schedule.mode.${m}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        {form.mode === 'hourly' ? (
          <Field label={t('ui.schedule.minute')}>
            {(p) => <input {...p} type="number" min={0} max={59} value={form.minute} onChange={(e) => update({ minute: clamp(e.target.valueAsNumber, 0, 59) })} />}
          </Field>
        ) : null}
        {form.mode === 'daily' || form.mode === 'weekly' ? (
          <Field label={t('ui.schedule.time')}>
            {(p) => (
              <TimeSelect id={p.id} describedBy={p['aria-describedby']} hour={form.hour} minute={form.minute} onChange={(h, m) => update({ hour: clamp(h, 0, 23), minute: clamp(m, 0, 59) })} />
            )}
          </Field>
        ) : null}
        {form.mode === 'everyHours' ? (
          <Field label={t('ui.schedule.everyHours')}>
            {(p) => <input {...p} type="number" min={1} max={168} value={form.everyHours} onChange={(e) => update({ everyHours: clamp(e.target.valueAsNumber, 1, 168) })} />}
          </Field>
        ) : null}
        {form.mode === 'everyDays' ? (
          <Field label={t('ui.schedule.everyDays')}>
            {(p) => <input {...p} type="number" min={1} max={365} value={form.everyDays} onChange={(e) => update({ everyDays: clamp(e.target.valueAsNumber, 1, 365) })} />}
          </Field>
        ) : null}
        {form.mode === 'cron' ? (
          <Field label={t('ui.schedule.cron')} hint={t('ui.schedule.cronHint')} problem={cronProblem ? t(cronProblem) : null}>
            {(p) => <input {...p} type="text" className="mono" value={form.cron} onChange={(e) => update({ cron: e.target.value })} />}
          </Field>
        ) : null}
      </div>
      {form.mode === 'weekly' ? (
        <div className="weekdays" role="group" aria-label={t('ui.schedule.weekdays')}>
          {weekdayNames.map((name, d) => (
            <label key={d} className="chip">
              <input type="checkbox" checked={form.weekdays.includes(d)} onChange={(e) => update({ weekdays: e.target.checked ? [...form.weekdays, d] : form.weekdays.filter((x) => x !== d) })} />
              <span>{name}</span>
            </label>
          ))}
        </div>
      ) : null}
      {form.mode !== 'disabled' && form.mode !== 'everyHours' && form.mode !== 'everyDays' ? (
        <label className="check">
          <input type="checkbox" checked={form.utc} onChange={(e) => update({ utc: e.target.checked })} />
          {t('ui.schedule.utc')}
        </label>
      ) : null}
      <div className="preview" aria-live="polite">
        {preview.error ? <p className="problem">{preview.error.message}</p> : null}
        {preview.value ? (
          <>
            <p className="preview-title">{preview.value.description}</p>
            {preview.value.nextRuns.length ? (
              <>
                <p className="muted small">{t('ui.schedule.nextRuns')}</p>
                <ul className="next-runs">{preview.value.nextRuns.slice(0, 3).map((r) => <li key={r}>{formatDateTime(r)}</li>)}</ul>
              </>
            ) : null}
          </>
        ) : null}
      </div>
    </fieldset>
  );
}

export function RetentionEditor({ value, onChange, disabled }: { value: Retention | undefined; onChange: (r: Retention) => void; disabled?: boolean }) {
  const client = useClient();
  const [form, setForm] = useState<RetentionForm>(() => retentionToForm(value));
  const keeps = retentionKeepsSomething(form);
  const update = (patch: Partial<RetentionForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    if (retentionKeepsSomething(next)) onChange(formToRetention(next, value));
  };
  const retention = formToRetention(form, value);
  const preview = useDebounced(JSON.stringify(retention), () => client.call('previewRetention', { retention }), !keeps);
  const modes: RetentionMode[] = ['buckets', 'lastN', 'all'];

  return (
    <fieldset className="editor" disabled={disabled}>
      <legend>{t('ui.retention.title')}</legend>
      <div className="segmented" role="radiogroup" aria-label={t('ui.retention.mode')}>
        {modes.map((m) => (
          <label key={m} className="segment">
            <input type="radio" name="retention-mode" checked={form.mode === m} onChange={() => update({ mode: m })} />
            <span>{t(`ui.retention.mode.${m}` as MessageKey)}</span>
          </label>
        ))}
      </div>
      {form.mode === 'lastN' ? (
        <Field label={t('ui.retention.lastN')}>
          {(p) => <input {...p} type="number" min={1} value={form.lastN} onChange={(e) => update({ lastN: clamp(e.target.valueAsNumber, 0, 100000) })} />}
        </Field>
      ) : null}
      {form.mode === 'buckets' ? (
        <div className="bucket-grid">
          {bucketFields.map((f) => (
            <Field key={f} label={t(`ui.retention.${f}` as MessageKey)}>
              {(p) => <input {...p} type="number" min={0} value={form[f]} onChange={(e) => update({ [f]: clamp(e.target.valueAsNumber, 0, 100000) } as Partial<RetentionForm>)} />}
            </Field>
          ))}
          <Field label={t('ui.retention.bucketLastN')}>
            {(p) => <input {...p} type="number" min={0} value={form.bucketLastN} onChange={(e) => update({ bucketLastN: clamp(e.target.valueAsNumber, 0, 100000) })} />}
          </Field>
        </div>
      ) : null}
      <div className="preview" aria-live="polite">
        {!keeps ? <p className="problem">{t('ui.retention.keepsNothing')}</p> : null}
        {keeps && preview.error ? <p className="problem">{preview.error.message}</p> : null}
        {keeps && preview.value ? <p className="preview-title">{preview.value.description}</p> : null}
      </div>
    </fieldset>
  );
}

function clamp(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.min(max, Math.max(min, Math.round(n)));
}
