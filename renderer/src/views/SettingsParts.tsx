// Settings sections that stand on their own: connection test result, hooks, Backrest
// import/export and personal preferences.
import { useState } from 'react';
import type { ApiOutput } from '../../../electron/core/api.js';
import type { Config, Hook, HookCondition } from '../../../electron/core/config/backrest-schema.js';
import { t, type Locale, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, Field, useAction } from '../components/common.js';
import { hookTargetText } from '../logic/hook-target.js';
import { causeAction } from '../logic/status-model.js';
import { isLocked } from '../logic/repo-form.js';
import { validateHttpUrl } from '../logic/validate.js';
import { useClient, useStore } from '../state/store.js';
import { ImportPanel } from './ImportPanel.js';

export interface Secrets {
  password?: string;
  restUsername?: string;
  restPassword?: string;
}

export function ConnectionResult({ result }: { result: ApiOutput<'testConnection'> }) {
  if (result.ok) {
    return (
      <div className="notice notice-ok" role="status">
        <p className="notice-title">{t(result.initialized ? 'ui.repo.testOk' : 'ui.repo.testOkEmpty')}</p>
        {result.resticVersion ? <p className="muted small">{t('ui.repo.resticVersion', { version: result.resticVersion })}</p> : null}
      </div>
    );
  }
  const message = result.cause ? t(`cause.${result.cause}` as MessageKey) : result.message ?? t('cause.unknown');
  // Only technicians test connections: the action speaks to them, never "ask your technician".
  const action = result.cause ? causeAction(result.cause, 'technician') : result.action;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{message}</p>
      {action ? <p className="notice-action">{action}</p> : null}
      {result.message && result.cause ? (
        <details className="notice-details">
          <summary>{t('ui.common.details')}</summary>
          <p><code>{result.cause}</code></p>
          <p>{result.message}</p>
        </details>
      ) : null}
    </div>
  );
}

type HookKind = 'command' | 'webhook' | 'healthchecks';
const offeredConditions: HookCondition[] = ['CONDITION_SNAPSHOT_START', 'CONDITION_SNAPSHOT_SUCCESS', 'CONDITION_SNAPSHOT_WARNING', 'CONDITION_SNAPSHOT_ERROR', 'CONDITION_ANY_ERROR'];

function hookSummary(hook: Hook): { kind: string; target: string } {
  if (hook.actionCommand) return { kind: t('ui.hooks.kind.command'), target: hook.actionCommand.command };
  if (hook.actionWebhook) return { kind: t('ui.hooks.kind.webhook'), target: hookTargetText(hook.actionWebhook.webhookUrl) };
  if (hook.actionHealthchecks) return { kind: t('ui.hooks.kind.healthchecks'), target: hookTargetText(hook.actionHealthchecks.webhookUrl) };
  const other = Object.keys(hook).find((k) => k.startsWith('action')) ?? '';
  return { kind: other.replace(/^action/, ''), target: '' };
}

export function HooksPanel({ draft, setDraft, locked, managedPlanIds }: { draft: Config; setDraft: (c: Config) => void; locked: string[]; managedPlanIds: string[] }) {
  const [planId, setPlanId] = useState(draft.plans[0]?.id ?? '');
  const [kind, setKind] = useState<HookKind>('webhook');
  const [target, setTarget] = useState('');
  const [conditions, setConditions] = useState<HookCondition[]>(['CONDITION_SNAPSHOT_ERROR']);
  const [touched, setTouched] = useState(false);
  const plan = draft.plans.find((p) => p.id === planId);
  const lockedHere = !plan || managedPlanIds.includes(planId) || isLocked(locked, `plans.${planId}`) || isLocked(locked, 'hooks');
  const problem = !target.trim() ? 'ui.validate.required' : kind !== 'command' ? validateHttpUrl(target) : null;
  const setHooks = (hooks: Hook[]) => setDraft({ ...draft, plans: draft.plans.map((p) => (p.id === planId ? { ...p, hooks } : p)) });

  const add = () => {
    setTouched(true);
    if (!plan || problem || conditions.length === 0) return;
    const action: Partial<Hook> =
      kind === 'command' ? { actionCommand: { command: target.trim() } } : kind === 'webhook' ? { actionWebhook: { webhookUrl: target.trim(), method: 'POST' } } : { actionHealthchecks: { webhookUrl: target.trim() } };
    setHooks([...plan.hooks, { conditions, onError: 'ON_ERROR_IGNORE', ...action }]);
    setTarget('');
    setTouched(false);
  };

  if (draft.plans.length === 0) return <p className="muted">{t('ui.hooks.noPlans')}</p>;
  return (
    <div className="editor-stack">
      <p className="muted">{t('ui.hooks.intro')}</p>
      <Field label={t('ui.hooks.plan')}>
        {(p) => (
          <select {...p} value={planId} onChange={(e) => setPlanId(e.target.value)}>
            {draft.plans.map((x) => <option key={x.id} value={x.id}>{x.id}</option>)}
          </select>
        )}
      </Field>
      {lockedHere && plan ? <p className="locked-note" role="note">{t('ui.settings.lockedReason')}</p> : null}
      {plan && plan.hooks.length ? (
        <table className="table">
          <caption className="visually-hidden">{t('ui.hooks.listCaption', { plan: planId })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ui.hooks.kind')}</th>
              <th scope="col">{t('ui.hooks.target')}</th>
              <th scope="col">{t('ui.hooks.when')}</th>
              <th scope="col"><span className="visually-hidden">{t('ui.restore.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {plan.hooks.map((h, i) => {
              const s = hookSummary(h);
              return (
                <tr key={i}>
                  <td>{s.kind}</td>
                  <td className="mono truncate" title={s.target}>{s.target}</td>
                  <td>{h.conditions.map((c) => conditionLabel(c)).join(', ')}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-ghost btn-small btn-danger" disabled={lockedHere} onClick={() => setHooks(plan.hooks.filter((_, j) => j !== i))}>
                      {t('ui.hooks.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted small">{t('ui.hooks.none')}</p>
      )}
      <fieldset className="editor" disabled={lockedHere}>
        <legend>{t('ui.hooks.add')}</legend>
        <div className="row gap-m wrap align-end">
          <Field label={t('ui.hooks.kind')}>
            {(p) => (
              <select {...p} value={kind} onChange={(e) => setKind(e.target.value as HookKind)}>
                <option value="webhook">{t('ui.hooks.kind.webhook')}</option>
                <option value="healthchecks">{t('ui.hooks.kind.healthchecks')}</option>
                <option value="command">{t('ui.hooks.kind.command')}</option>
              </select>
            )}
          </Field>
          <Field label={kind === 'command' ? t('ui.hooks.command') : t('ui.hooks.url')} problem={touched && problem ? t(problem) : null}>
            {(p) => <input {...p} type="text" className="mono wide" value={target} onChange={(e) => setTarget(e.target.value)} />}
          </Field>
        </div>
        <div className="weekdays" role="group" aria-label={t('ui.hooks.when')}>
          {offeredConditions.map((c) => (
            <label key={c} className="chip">
              <input type="checkbox" checked={conditions.includes(c)} onChange={(e) => setConditions(e.target.checked ? [...conditions, c] : conditions.filter((x) => x !== c))} />
              <span>{conditionLabel(c)}</span>
            </label>
          ))}
        </div>
        {touched && conditions.length === 0 ? <p className="problem">{t('ui.hooks.pickCondition')}</p> : null}
        <button type="button" className="btn btn-secondary" onClick={add}>{t('ui.hooks.addButton')}</button>
      </fieldset>
    </div>
  );
}

function conditionLabel(c: HookCondition): string {
  const key = `ui.hooks.cond.${c}` as MessageKey;
  const text = t(key);
  return text === key ? c.replace(/^CONDITION_/, '').toLowerCase().replace(/_/g, ' ') : text;
}

export function TransferPanel({ locked, onImported }: { locked: string[]; onImported: () => void }) {
  const client = useClient();
  const [includeSecrets, setIncludeSecrets] = useState(false);
  // '' = the config's own version (a Backrest 1.10 machine keeps getting a file its Backrest opens).
  const [target, setTarget] = useState<'' | '1.10' | '1.13'>('');
  const [exported, setExported] = useState<string | null>(null);
  const importLocked = isLocked(locked, 'import') || isLocked(locked, 'repos') || isLocked(locked, 'plans');
  const doExport = useAction(async () => {
    const out = await client.call('exportBackrest', { includeSecrets, ...(target ? { target } : {}) });
    setExported(out.content);
  });
  const download = () => {
    if (!exported) return;
    const url = URL.createObjectURL(new Blob([exported], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'config.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="two-col">
      <div className="editor-stack">
        <ImportPanel disabled={importLocked} onImported={onImported} />
        {importLocked ? <p className="locked-note" role="note">{t('ui.settings.lockedReason')}</p> : null}
      </div>
      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title" className="card-title">{t('ui.transfer.exportTitle')}</h2>
        <p className="muted small">{t('ui.transfer.exportText')}</p>
        <Field label={t('ui.transfer.target')}>
          {(p) => (
            <select {...p} value={target} onChange={(e) => setTarget(e.target.value as '' | '1.10' | '1.13')}>
              <option value="">{t('ui.transfer.target.own')}</option>
              <option value="1.10">{t('ui.transfer.target.1_10')}</option>
              <option value="1.13">{t('ui.transfer.target.1_13')}</option>
            </select>
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.target.checked)} />
          {t('ui.transfer.includeSecrets')}
        </label>
        {includeSecrets ? <p className="hint hint-warn">{t('ui.transfer.secretsWarning')}</p> : null}
        <div className="row gap-s">
          <button type="button" className="btn btn-secondary" disabled={doExport.busy} onClick={() => void doExport.run()}>{t('ui.transfer.export')}</button>
          {exported ? <button type="button" className="btn btn-primary" onClick={download}>{t('ui.transfer.download')}</button> : null}
        </div>
        {doExport.error ? <ErrorNotice error={doExport.error} /> : null}
        {exported ? (
          <Field label={t('ui.transfer.exported')}>
            {(p) => <textarea {...p} rows={8} className="mono" readOnly value={exported} />}
          </Field>
        ) : null}
      </section>
    </div>
  );
}

export function PreferencesPanel() {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const setLanguage = useStore((s) => s.setLanguage);
  const prefs = appInfo.preferences;
  const save = useAction(async (patch: { language?: Locale; notifications?: 'all' | 'problems' | 'off' }) => {
    const next = await client.call('setPreferences', patch);
    useStore.setState((s) => (s.appInfo ? { appInfo: { ...s.appInfo, preferences: next } } : {}));
    setLanguage(next.language);
  });
  const languageLocked = isLocked(appInfo.locked, 'language') || isLocked(appInfo.locked, 'preferences.language');
  const notificationsLocked = isLocked(appInfo.locked, 'notifications') || isLocked(appInfo.locked, 'preferences.notifications');
  return (
    <div className="editor-stack narrow-form">
      <Field label={t('ui.prefs.language')} locked={languageLocked ? t('ui.settings.lockedReason') : null}>
        {(p) => (
          <select {...p} value={prefs.language} disabled={languageLocked || save.busy} onChange={(e) => void save.run({ language: e.target.value as Locale })}>
            <option value="pt-BR" lang="pt-BR">{t('ui.prefs.lang.pt-BR')}</option>
            <option value="en" lang="en">{t('ui.prefs.lang.en')}</option>
          </select>
        )}
      </Field>
      <Field label={t('ui.prefs.notifications')} locked={notificationsLocked ? t('ui.settings.lockedReason') : null}>
        {(p) => (
          <select {...p} value={prefs.notifications} disabled={notificationsLocked || save.busy} onChange={(e) => void save.run({ notifications: e.target.value as 'all' | 'problems' | 'off' })}>
            <option value="all">{t('ui.prefs.notify.all')}</option>
            <option value="problems">{t('ui.prefs.notify.problems')}</option>
            <option value="off">{t('ui.prefs.notify.off')}</option>
          </select>
        )}
      </Field>
      {save.error ? <ErrorNotice error={save.error} /> : null}
    </div>
  );
}
