// Small building blocks shared by every screen: error notices, progress bars, fields, dialogs.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ErrorPayload } from '../../../electron/core/errors.js';
import { t, type MessageKey, type MessageParams } from '../../../electron/core/i18n/index.js';
import { ApiError } from '../api/client.js';
import type { FailureCause } from '../../../electron/core/errors.js';
import { causeAction, causeText } from '../logic/status-model.js';
import { useStore } from '../state/store.js';

/** Chooses the `.one` or `.other` form of a message by count. */
export function plural(base: string, count: number, params: MessageParams = {}): string {
  return t(`${base}.${count === 1 ? 'one' : 'other'}` as MessageKey, { count, ...params });
}

export function toPayload(error: unknown): ErrorPayload {
  if (error instanceof ApiError) return error.payload;
  return { code: 'error.internal', message: t('error.internal') };
}

/** Translated message + suggested action + a "Detalhes" disclosure; never a stack trace. */
export function ErrorNotice({ error, onRetry, onDismiss, action: actionOverride }: { error: ErrorPayload; onRetry?: () => void; onDismiss?: () => void; action?: string | null }) {
  const technician = useStore((s) => s.appInfo?.technician ?? false);
  const audience = technician ? 'technician' : 'clerk';
  // Codes and restic's raw text are for the technician; a clerk reads the sentence and what to do.
  const hasDetails = technician && Boolean(error.detail || error.fields?.length || error.cause);
  const cause = error.cause as FailureCause | undefined;
  const message = cause && error.code === `cause.${cause}` ? causeText(cause, audience) : error.message;
  // A caller may word the next step for its own context (a button the person clicks again, not a job that retries).
  const action = actionOverride ?? (cause ? causeAction(cause, audience) : error.action);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{message}</p>
      {action ? <p className="notice-action">{action}</p> : null}
      {error.fields?.length ? (
        <ul className="notice-fields">
          {error.fields.map((f) => (
            <li key={f.path}>{t('error.invalidField', { path: f.path, problem: f.message })}</li>
          ))}
        </ul>
      ) : null}
      {hasDetails ? (
        <details className="notice-details">
          <summary>{t('ui.common.details')}</summary>
          <dl>
            <dt>{t('ui.common.errorCode')}</dt>
            <dd><code>{error.cause ?? error.code}</code></dd>
            {error.detail ? (
              <>
                <dt>{t('ui.common.technicalDetail')}</dt>
                <dd><pre>{error.detail}</pre></dd>
              </>
            ) : null}
          </dl>
        </details>
      ) : null}
      {onRetry || onDismiss ? (
        <div className="row gap-s">
          {onRetry ? <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>{t('ui.common.retry')}</button> : null}
          {onDismiss ? <button type="button" className="btn btn-ghost btn-small" onClick={onDismiss}>{t('ui.common.dismiss')}</button> : null}
        </div>
      ) : null}
    </div>
  );
}

export function ProgressBar({ value, label, tone = 'running' }: { value: number; label: string; tone?: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={`progress tone-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={t('ui.common.percent', { percent })}>
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

export function Field({ label, hint, problem, children, locked }: { label: string; hint?: string | null; problem?: string | null; locked?: string | null; children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [hint || locked ? hintId : null, problem ? problemId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {locked ? <span className="lock-badge" aria-hidden="true"> 🔒</span> : null}
      </label>
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(problem ? { 'aria-invalid': true } : {}) })}
      {locked ? <p id={hintId} className="hint hint-locked">{locked}</p> : hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {problem ? <p id={problemId} className="problem">{problem}</p> : null}
    </div>
  );
}

/** Modal dialog: focus moves in on open and back on close; Escape closes. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input:not([disabled]), button:not([disabled]), select, textarea, [tabindex="0"]');
    first?.focus();
    return () => previous?.focus?.();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    // Keep Tab inside the dialog.
    const items = [...ref.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary')];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="dialog-backdrop">
      <div ref={ref} className={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="dialog-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Runs an async action with busy and error state, for buttons that call the agent. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (e) {
      setError(toPayload(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, setError };
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
