// Settings for the technician: repositories, plans, hooks, Backrest import/export and preferences.
// The agent's config is loaded into a draft; saving sends it back with its modno so a concurrent
// change is reported, never silently overwritten. Policy-managed items are shown locked.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiOutput } from '../../../electron/core/api.js';
import type { ErrorPayload } from '../../../electron/core/errors.js';
import type { Config, Plan, Repo } from '../../../electron/core/config/backrest-schema.js';
import { t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, Field, Spinner, useAction } from '../components/common.js';
import { RestCredentialsFieldset } from '../components/RestCredentialsFieldset.js';
import { caCertOf, isLocked, newPlan, newRepo, uniqueId, withCaCert } from '../logic/repo-form.js';
import { lines, validateId, validatePathList, validateRepoUri } from '../logic/validate.js';
import { planLabel, policyBroken } from '../logic/status-model.js';
import { useClient, useStore } from '../state/store.js';
import { ConnectionResult, HooksPanel, PreferencesPanel, TransferPanel, type Secrets } from './SettingsParts.js';
import { RetentionEditor, ScheduleEditor } from './ScheduleEditors.js';
import { DiagnosticsPanel } from './DiagnosticsPanel.js';
import { RepoDiagnostics } from './RepoDiagnostics.js';
import { FleetView } from './FleetView.js';

type Loaded = ApiOutput<'getConfig'>;
const tabs = ['repos', 'plans', 'hooks', 'transfer', 'preferences', 'diagnostics', 'fleet'] as const;
type Tab = (typeof tabs)[number];

export function SettingsView() {
  const appInfo = useStore((s) => s.appInfo)!;
  if (appInfo.technicianPasswordRequired && !appInfo.technician) {
    // Language and notifications are the user's own choices: reachable without the technician.
    return (
      <div className="editor-stack">
        <TechnicianGate />
        <section className="card narrow" aria-labelledby="own-prefs">
          <h2 id="own-prefs" className="card-title">{t('ui.settings.tab.preferences')}</h2>
          <PreferencesPanel />
        </section>
      </div>
    );
  }
  if (!appInfo.capabilities.openSettings && !appInfo.technician) {
    return (
      <div className="narrow">
        <h1 className="section-title">{t('ui.settings.title')}</h1>
        {/* "You can still choose…" only where that is true: a broken policy or one that locks both says otherwise. */}
        <p>{t(policyBroken(appInfo) || (appInfo.locked.includes('language') && appInfo.locked.includes('notifications')) ? 'ui.settings.notAllowedLocked' : 'ui.settings.notAllowed')}</p>
        <PreferencesPanel />
      </div>
    );
  }
  return <SettingsEditor />;
}

export function TechnicianGate() {
  const client = useClient();
  const refresh = useStore((s) => s.refresh);
  const [password, setPassword] = useState('');
  const login = useAction(async (e: FormEvent) => {
    e.preventDefault();
    await client.call('technicianLogin', { password });
    setPassword('');
    await refresh();
  });
  return (
    <form className="gate card narrow" onSubmit={(e) => void login.run(e)}>
      <span className="gate-icon" aria-hidden="true" />
      <h1 className="section-title">{t('ui.gate.title')}</h1>
      <p className="muted">{t('ui.gate.text')}</p>
      <Field label={t('ui.gate.password')}>
        {(p) => <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />}
      </Field>
      {login.error ? <ErrorNotice error={login.error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={!password || login.busy}>{t('ui.gate.enter')}</button>
    </form>
  );
}

function SettingsEditor() {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const configVersion = useStore((s) => s.configVersion);
  const refresh = useStore((s) => s.refresh);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [draft, setDraft] = useState<Config | null>(null);
  const [secrets, setSecrets] = useState<Record<string, Secrets>>({});
  const [tab, setTab] = useState<Tab>('repos');
  const [saved, setSaved] = useState(false);
  // Fields whose typed text is not valid (key → text): the draft keeps the last valid value, so
  // saving now would store something the technician did not type. Nothing is saved while any is here.
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // Secrets the connection test just refused, per repository: saving them asks first.
  const [rejected, setRejected] = useState<Record<string, Rejected>>({});
  const [confirmRejected, setConfirmRejected] = useState<string[] | null>(null);
  // Display names typed here, by plan id (a sidecar file, not config.json: Backrest has only ids).
  const [labels, setLabels] = useState<Record<string, string>>({});
  const status = useStore((s) => s.status);
  const storedLabels = useMemo(() => new Map((status?.plans ?? []).map((p) => [p.planId, p.label ?? ''] as const)), [status]);
  const labelChanges = Object.entries(labels).filter(([planId, text]) => Boolean(draft?.plans.some((p) => p.id === planId)) && text.trim() !== (storedLabels.get(planId) ?? '').trim());
  const setInvalidField = (key: string, text: string | null) =>
    setInvalid((current) => {
      if (text === null) {
        if (!(key in current)) return current;
        const { [key]: _gone, ...rest } = current;
        return rest;
      }
      return current[key] === text ? current : { ...current, [key]: text };
    });

  const load = useAction(async () => {
    const out = await client.call('getConfig', {});
    setLoaded(out);
    setDraft(structuredClone(out.config));
    setSecrets({});
    setInvalid({});
    setLabels({});
  });
  const dirty = Boolean(loaded && draft && (JSON.stringify(loaded.config) !== JSON.stringify(draft) || Object.keys(secrets).length > 0 || Object.keys(invalid).length > 0 || labelChanges.length > 0));
  const invalidFields = Object.keys(invalid);
  /** Repositories whose typed secret is exactly the one the connection test just refused. */
  const refusedNow = () => Object.entries(secrets).filter(([repoId, s]) => {
    const r = rejected[repoId];
    return r && ((s.password && s.password === r.password) || (s.restPassword && s.restPassword === r.restPassword));
  }).map(([repoId]) => repoId);

  useEffect(() => {
    // Reload when someone else changed the config, unless the technician is editing.
    if (!dirty) void load.run();
  }, [configVersion]);

  const save = useAction(async (confirmed = false) => {
    if (!loaded || !draft || Object.keys(invalid).length > 0) return;
    const refused = refusedNow();
    if (refused.length > 0 && !confirmed) {
      setConfirmRejected(refused);
      return;
    }
    setConfirmRejected(null);
    const { modno } = await client.call('setConfig', { config: draft, modno: loaded.config.modno });
    for (const [repoId, s] of Object.entries(secrets)) {
      const input = { repoId, ...(s.password ? { password: s.password } : {}), ...(s.restUsername !== undefined ? { restUsername: s.restUsername } : {}), ...(s.restPassword ? { restPassword: s.restPassword } : {}) };
      if (Object.keys(input).length > 1) await client.call('setRepoSecrets', input);
    }
    // Labels after the config: a new plan must exist before it can be named.
    for (const [planId, text] of labelChanges) {
      if (draft.plans.some((p) => p.id === planId)) await client.call('setPlanLabel', { planId, label: text.trim() || null });
    }
    const saved = { ...draft, modno };
    setLoaded({ ...loaded, config: saved });
    setDraft(structuredClone(saved));
    setSecrets({});
    setLabels({});
    setSaved(true);
    setTimeout(() => setSaved(false), 4000);
    await refresh();
  });
  const logout = useAction(async () => {
    await client.call('technicianLogout', {});
    await refresh();
  });

  if (load.error && !loaded) return <ErrorNotice error={load.error} onRetry={() => void load.run()} />;
  if (!loaded || !draft) return <Spinner label={t('ui.common.loading')} />;

  const locked = [...new Set([...appInfo.locked, ...loaded.locked])];
  const ctx: EditorContext = {
    draft, setDraft, loaded, locked, secrets, setSecrets, invalid, setInvalidField, rejected, setRejected: (repoId, r) => setRejected((c) => ({ ...c, [repoId]: r })),
    labelOf: (planId) => labels[planId] ?? storedLabels.get(planId) ?? '',
    setLabel: (planId, text) => setLabels((c) => ({ ...c, [planId]: text })),
    moveLabel: (from, to) => setLabels((c) => {
      const { [from]: text, ...rest } = c;
      return text === undefined ? c : { ...rest, [to]: text };
    }),
  };

  return (
    <div className="settings-view">
      <div className="row between wrap">
        <h1 className="section-title">{t('ui.settings.title')}</h1>
        {appInfo.technician && appInfo.technicianPasswordRequired ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void logout.run()}>{t('ui.settings.logout')}</button>
        ) : null}
      </div>
      <Tabs tab={tab} setTab={setTab}>
        {tab === 'repos' ? <ReposPanel ctx={ctx} /> : null}
        {tab === 'plans' ? <PlansPanel ctx={ctx} /> : null}
        {tab === 'hooks' ? <HooksPanel draft={draft} setDraft={setDraft} locked={locked} managedPlanIds={loaded.managedPlanIds} /> : null}
        {tab === 'transfer' ? <TransferPanel locked={locked} onImported={() => void load.run()} /> : null}
        {tab === 'preferences' ? <PreferencesPanel /> : null}
        {tab === 'diagnostics' ? <DiagnosticsPanel /> : null}
        {tab === 'fleet' && appInfo.technician ? <FleetView /> : null}
      </Tabs>

      {tab !== 'transfer' && tab !== 'preferences' && tab !== 'diagnostics' && tab !== 'fleet' ? (
        <div className={`save-bar${dirty ? ' dirty' : ''}`} aria-live="polite">
          {save.error ? (
            <ErrorNotice error={save.error} {...(save.error.code === 'error.conflict' ? { onRetry: () => void load.run() } : {})} onDismiss={() => save.setError(null)} />
          ) : null}
          {confirmRejected ? (
            <div className="notice notice-warning" role="alert">
              <p>{t('ui.settings.refusedSecret', { repos: confirmRejected.join(', ') })}</p>
              <div className="row gap-s">
                <button type="button" className="btn btn-secondary btn-small" onClick={() => setConfirmRejected(null)}>{t('ui.settings.refusedBack')}</button>
                <button type="button" className="btn btn-ghost btn-small btn-danger" onClick={() => void save.run(true)}>{t('ui.settings.refusedSaveAnyway')}</button>
              </div>
            </div>
          ) : null}
          <span className={invalidFields.length ? 'problem small' : 'muted small'} role={invalidFields.length ? 'alert' : undefined}>
            {invalidFields.length ? t('ui.settings.fixFirst') : dirty ? t('ui.settings.unsaved') : saved ? t('ui.settings.saved') : t('ui.settings.upToDate')}
          </span>
          <div className="row gap-s">
            <button type="button" className="btn btn-ghost" disabled={!dirty || save.busy} onClick={() => { setDraft(structuredClone(loaded.config)); setSecrets({}); setInvalid({}); setLabels({}); setConfirmRejected(null); }}>
              {t('ui.settings.discard')}
            </button>
            <button type="button" className="btn btn-primary" disabled={!dirty || save.busy || invalidFields.length > 0} onClick={() => void save.run()}>{t('ui.settings.save')}</button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

interface Rejected {
  password?: string;
  restPassword?: string;
}

interface EditorContext {
  draft: Config;
  setDraft: (c: Config) => void;
  loaded: Loaded;
  locked: string[];
  secrets: Record<string, Secrets>;
  setSecrets: (s: Record<string, Secrets>) => void;
  invalid: Record<string, string>;
  setInvalidField: (key: string, text: string | null) => void;
  rejected: Record<string, Rejected>;
  setRejected: (repoId: string, r: Rejected) => void;
  /** The plan's display name as shown now (typed, else stored); '' = none. */
  labelOf: (planId: string) => string;
  setLabel: (planId: string, text: string) => void;
  /** A new plan's id changed: its typed name follows it. */
  moveLabel: (from: string, to: string) => void;
}

function Tabs({ tab, setTab, children }: { tab: Tab; setTab: (t: Tab) => void; children: ReactNode }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // The fleet audit reads every department's repositories: a technician's session only.
  const technician = useStore((s) => s.appInfo?.technician ?? false);
  const shown = tabs.filter((id) => id !== 'fleet' || technician);
  const onKey = (e: KeyboardEvent) => {
    const i = shown.indexOf(tab);
    const next = e.key === 'ArrowRight' ? shown[(i + 1) % shown.length] : e.key === 'ArrowLeft' ? shown[(i + shown.length - 1) % shown.length] : e.key === 'Home' ? shown[0] : e.key === 'End' ? shown[shown.length - 1] : undefined;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    refs.current[next]?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label={t('ui.settings.sections')} onKeyDown={onKey}>
        {shown.map((id) => (
          <button key={id} ref={(el) => { refs.current[id] = el; }} type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} tabIndex={tab === id ? 0 : -1} onClick={() => setTab(id)}>
            {t(`ui.settings.tab.${id}` as MessageKey)}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {children}
      </div>
    </>
  );
}

function LockedNote({ reason }: { reason: string }) {
  return (
    <p className="locked-note" role="note">
      <span className="lock-icon" aria-hidden="true" />
      {reason}
    </p>
  );
}

function ReposPanel({ ctx }: { ctx: EditorContext }) {
  const { draft, setDraft, loaded, locked } = ctx;
  const [selected, setSelected] = useState<string | null>(draft.repos[0]?.id ?? null);
  const reposLocked = isLocked(locked, 'repos');
  const addRepo = () => {
    const id = uniqueId('servidor', draft.repos.map((r) => r.id));
    setDraft({ ...draft, repos: [...draft.repos, newRepo(id, '')] });
    setSelected(id);
  };
  const repo = draft.repos.find((r) => r.id === selected) ?? null;
  return (
    <div className="master-detail">
      <div className="master">
        <ul className="item-list" aria-label={t('ui.settings.tab.repos')}>
          {draft.repos.map((r) => (
            <li key={r.id}>
              <button type="button" aria-pressed={r.id === selected} onClick={() => setSelected(r.id)}>
                <span className="item-title">{r.id}</span>
                <span className="item-sub">{r.uri || t('ui.settings.noUri')}</span>
                {loaded.managedRepoIds.includes(r.id) ? <span className="pill tone-unknown">{t('ui.settings.managedBadge')}</span> : null}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="btn btn-secondary btn-small" disabled={reposLocked} onClick={addRepo}>{t('ui.settings.addRepo')}</button>
        {reposLocked ? <LockedNote reason={t('ui.settings.lockedReason')} /> : null}
      </div>
      <div className="detail">
        {repo ? <RepoEditor key={repo.id} repo={repo} ctx={ctx} onRemoved={() => setSelected(null)} /> : <p className="muted">{t('ui.settings.pickRepo')}</p>}
      </div>
    </div>
  );
}

function RepoEditor({ repo, ctx, onRemoved }: { repo: Repo; ctx: EditorContext; onRemoved: () => void }) {
  const client = useClient();
  const { draft, setDraft, loaded, locked, secrets, setSecrets, setRejected } = ctx;
  const managed = loaded.managedRepoIds.includes(repo.id);
  const isLockedHere = managed || isLocked(locked, `repos.${repo.id}`);
  const isSaved = loaded.config.repos.some((r) => r.id === repo.id);
  const stored = loaded.secrets[repo.id];
  const mine = secrets[repo.id] ?? {};
  const [caCert, setCaCert] = useState(caCertOf(repo));
  const update = (next: Repo) => setDraft({ ...draft, repos: draft.repos.map((r) => (r.id === repo.id ? next : r)) });
  const setSecret = (patch: Secrets) => setSecrets({ ...secrets, [repo.id]: { ...mine, ...patch } });
  const uriProblem = repo.uri ? validateRepoUri(repo.uri) : null;
  const usedBy = draft.plans.filter((p) => p.repo === repo.id).map((p) => p.id);

  const test = useAction(async () => client.call('testConnection', {
    repo,
    secrets: {
      ...(mine.password ? { password: mine.password } : {}),
      ...(mine.restUsername !== undefined ? { restUsername: mine.restUsername } : stored?.restUsername ? { restUsername: stored.restUsername } : {}),
      ...(mine.restPassword ? { restPassword: mine.restPassword } : {}),
    },
  }));
  const [result, setResult] = useState<ApiOutput<'testConnection'> | null>(null);
  const init = useAction(async () => client.call('initRepo', { repoId: repo.id }));
  const unlock = useAction(async () => client.call('unlockRepo', { repoId: repo.id }));
  const check = useAction(async () => client.call('checkRepo', { repoId: repo.id }));
  const [note, setNote] = useState<string | null>(null);

  return (
    <div className="editor-stack">
      {isLockedHere ? <LockedNote reason={managed ? t('ui.settings.managedRepo') : t('ui.settings.lockedReason')} /> : null}
      <fieldset className="form-grid" disabled={isLockedHere}>
        <legend className="visually-hidden">{t('ui.settings.repoLegend', { id: repo.id })}</legend>
        <Field label={t('ui.repo.uri')} hint={t('ui.repo.uriHint')} problem={uriProblem ? t(uriProblem) : null}>
          {(p) => <input {...p} type="text" className="mono" value={repo.uri} placeholder="rest:https://backup.exemplo.gov.br/financeiro" onChange={(e) => update({ ...repo, uri: e.target.value })} />}
        </Field>
        <RestCredentialsFieldset
          user={mine.restUsername ?? stored?.restUsername ?? ''}
          onUser={(restUsername) => setSecret({ restUsername })}
          password={mine.restPassword ?? ''}
          onPassword={(restPassword) => setSecret({ restPassword })}
          passwordHint={stored?.restPassword && !mine.restPassword ? t('ui.repo.secretStored') : null}
          passwordPlaceholder={stored?.restPassword ? '••••••••' : ''}
        />
        <Field label={t('ui.repo.password')} hint={stored?.password && !mine.password ? t('ui.repo.secretStored') : t('ui.repo.passwordHint')}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={mine.password ?? ''} placeholder={stored?.password ? '••••••••' : ''} onChange={(e) => setSecret({ password: e.target.value })} />}
        </Field>
        <Field label={t('ui.repo.caCert')} hint={t('ui.repo.caCertHint')}>
          {(p) => <input {...p} type="text" className="mono" value={caCert} onChange={(e) => { setCaCert(e.target.value); update(withCaCert(repo, e.target.value)); }} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={repo.autoUnlock ?? false} onChange={(e) => update({ ...repo, autoUnlock: e.target.checked })} />
          {t('ui.repo.autoUnlock')}
        </label>
      </fieldset>

      <div className="row gap-s wrap">
        <button type="button" className="btn btn-primary" disabled={test.busy || !repo.uri || Boolean(uriProblem)} onClick={() => void test.run().then((r) => {
          if (!r) return;
          setResult(r);
          // Remember exactly which typed secret was refused, so saving it asks first.
          setRejected(repo.id, {
            ...(r.cause === 'wrong-password' && mine.password ? { password: mine.password } : {}),
            ...(r.cause === 'auth-refused' && mine.restPassword ? { restPassword: mine.restPassword } : {}),
          });
        })}>
          {test.busy ? t('ui.repo.testing') : t('ui.repo.test')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={!isSaved || init.busy || isLockedHere} title={isSaved ? undefined : t('ui.repo.saveFirst')} onClick={() => { setNote(null); void init.run().then((r) => r && setNote(t(r.created ? 'ui.repo.initialized' : 'ui.repo.alreadyInitialized'))); }}>
          {init.busy ? t('ui.repo.initializing') : t('ui.repo.init')}
        </button>
        <button type="button" className="btn btn-ghost" disabled={!isSaved || unlock.busy} onClick={() => void unlock.run().then((r) => r && setNote(t('ui.repo.unlocked')))}>{t('ui.repo.unlock')}</button>
        <button type="button" className="btn btn-ghost" disabled={!isSaved || check.busy} onClick={() => void check.run().then((r) => r && setNote(t('ui.repo.checkStarted')))}>{t('ui.repo.check')}</button>
        {!isLockedHere ? (
          <button type="button" className="btn btn-ghost btn-danger" disabled={usedBy.length > 0} title={usedBy.length ? t('ui.repo.inUse', { plans: usedBy.join(', ') }) : undefined} onClick={() => { setDraft({ ...draft, repos: draft.repos.filter((r) => r.id !== repo.id) }); onRemoved(); }}>
            {t('ui.repo.remove')}
          </button>
        ) : null}
      </div>
      {!isSaved ? <p className="muted small">{t('ui.repo.saveFirst')}</p> : null}
      {/* The result of Inicializar/Desbloquear/Verificar right under their buttons, scrolled into
          view: at tray size the buttons stack and the save bar covers what lies below them. */}
      <ActionResult note={note} errors={[init, unlock, check]} />
      {test.error ? <ErrorNotice error={test.error} /> : null}
      {result ? <ConnectionResult result={result} /> : null}
      <RepoDiagnostics repo={repo} />
    </div>
  );
}

function ActionResult({ note, errors }: { note: string | null; errors: Array<{ error: ErrorPayload | null; setError: (e: null) => void }> }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = errors.map((a) => a.error);
  useEffect(() => {
    if (note || shown.some(Boolean)) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [note, ...shown]);
  return (
    <div ref={ref} className="action-result">
      {errors.map((a, i) => (a.error ? (
        // These buttons run once: "Cofre will try again automatically" (the job wording) is not true here.
        <ErrorNotice key={i} error={a.error} onDismiss={() => a.setError(null)} action={a.error.cause === 'server-unreachable' ? t('ui.repo.unreachableAction') : undefined} />
      ) : null))}
      {note ? <p className="notice notice-ok" role="status">{note}</p> : null}
    </div>
  );
}

function PlansPanel({ ctx }: { ctx: EditorContext }) {
  const { draft, setDraft, loaded, locked } = ctx;
  const appInfo = useStore((s) => s.appInfo)!;
  // By position, so renaming a new plan does not remount its editor.
  const [selected, setSelected] = useState<number>(draft.plans.length ? 0 : -1);
  const plansLocked = isLocked(locked, 'plans');
  const addPlan = () => {
    const id = uniqueId('plano', draft.plans.map((p) => p.id));
    setDraft({ ...draft, plans: [...draft.plans, newPlan(id, draft.repos[0]?.id ?? '', [appInfo.homeDir])] });
    setSelected(draft.plans.length);
  };
  const plan = draft.plans[selected] ?? null;
  return (
    <div className="master-detail">
      <div className="master">
        <ul className="item-list" aria-label={t('ui.settings.tab.plans')}>
          {draft.plans.map((p, i) => (
            <li key={i}>
              <button type="button" aria-pressed={i === selected} onClick={() => setSelected(i)}>
                <span className="item-title">{planLabel({ planId: p.id, label: ctx.labelOf(p.id) })}</span>
                <span className="item-id">{p.id}</span>
                <span className="item-sub">{p.paths.join(', ')}</span>
                {loaded.managedPlanIds.includes(p.id) ? <span className="pill tone-unknown">{t('ui.settings.managedBadge')}</span> : null}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="btn btn-secondary btn-small" disabled={plansLocked || draft.repos.length === 0} onClick={addPlan}>{t('ui.settings.addPlan')}</button>
        {plansLocked ? <LockedNote reason={t('ui.settings.lockedReason')} /> : null}
      </div>
      <div className="detail">
        {plan ? <PlanEditor key={selected} index={selected} plan={plan} ctx={ctx} onRemoved={() => setSelected(-1)} /> : <p className="muted">{t('ui.settings.pickPlan')}</p>}
      </div>
    </div>
  );
}

function PlanEditor({ index, plan, ctx, onRemoved }: { index: number; plan: Plan; ctx: EditorContext; onRemoved: () => void }) {
  const { draft, setDraft, loaded, locked, invalid, setInvalidField, labelOf, setLabel, moveLabel } = ctx;
  const label = labelOf(plan.id);
  const managed = loaded.managedPlanIds.includes(plan.id);
  const isLockedHere = managed || isLocked(locked, `plans.${plan.id}`);
  const isNew = !loaded.config.plans.some((p) => p.id === plan.id);
  const idKey = `plans.${index}.id`;
  const pathsKey = `plans.${index}.paths`;
  const cronKey = `plans.${index}.schedule`;
  const labelKey = `plans.${index}.label`;
  const [pathsText, setPathsText] = useState(invalid[pathsKey] ?? plan.paths.join('\n'));
  const [excludesText, setExcludesText] = useState(plan.excludes.join('\n'));
  // What was typed survives switching tabs: an invalid id stays visible and keeps saving blocked.
  const [idText, setIdText] = useState(invalid[idKey] ?? plan.id);
  const update = (next: Plan) => setDraft({ ...draft, plans: draft.plans.map((p, i) => (i === index ? next : p)) });
  const pathsProblem = validatePathList(lines(pathsText), true);
  const idProblem = idText !== plan.id ? validateId(idText) ?? (draft.plans.some((p) => p.id === idText) ? 'ui.validate.idTaken' : null) : null;

  return (
    <div className="editor-stack">
      {isLockedHere ? <LockedNote reason={managed ? t('ui.settings.managedPlan') : t('ui.settings.lockedReason')} /> : null}
      <fieldset className="form-grid" disabled={isLockedHere}>
        <legend className="visually-hidden">{t('ui.settings.planLegend', { id: planLabel({ planId: plan.id, label }) })}</legend>
        <Field label={t('ui.plan.label')} hint={t('ui.plan.labelHint')} problem={label.trim().length > 80 ? t('ui.plan.labelLong') : null}>
          {(p) => <input {...p} type="text" value={label} maxLength={120} placeholder={planLabel({ planId: plan.id })} onChange={(e) => {
            setLabel(plan.id, e.target.value);
            setInvalidField(labelKey, e.target.value.trim().length > 80 ? e.target.value : null);
          }} />}
        </Field>
        {isNew ? (
          <Field label={t('ui.plan.id')} problem={idProblem ? t(idProblem as MessageKey) : null} hint={t('ui.plan.idFixed')}>
            {(p) => <input {...p} type="text" className="mono" value={idText} onChange={(e) => {
              const text = e.target.value;
              setIdText(text);
              const bad = validateId(text) !== null || draft.plans.some((x, i) => i !== index && x.id === text);
              setInvalidField(idKey, bad ? text : null);
              if (!bad) {
                moveLabel(plan.id, text);
                update({ ...plan, id: text });
              }
            }} />}
          </Field>
        ) : (
          <p className="muted small tech-id" title={t('ui.plan.idFixed')}>{t('ui.plan.techId', { id: plan.id })}</p>
        )}
        <div className="row gap-m wrap">
          <Field label={t('ui.plan.repo')}>
            {(p) => (
              <select {...p} value={plan.repo} onChange={(e) => update({ ...plan, repo: e.target.value })}>
                {draft.repos.map((r) => <option key={r.id} value={r.id}>{r.id}</option>)}
              </select>
            )}
          </Field>
        </div>
        <Field label={t('ui.plan.paths')} hint={t('ui.plan.pathsHint')} problem={pathsProblem ? t(pathsProblem) : null}>
          {(p) => <textarea {...p} rows={3} className="mono" value={pathsText} onChange={(e) => {
            setPathsText(e.target.value);
            const bad = validatePathList(lines(e.target.value), true) !== null;
            setInvalidField(pathsKey, bad ? e.target.value : null);
            if (!bad) update({ ...plan, paths: lines(e.target.value) });
          }} />}
        </Field>
        <Field label={t('ui.plan.excludes')} hint={t('ui.plan.excludesHint')}>
          {(p) => <textarea {...p} rows={3} className="mono" value={excludesText} onChange={(e) => { setExcludesText(e.target.value); update({ ...plan, excludes: lines(e.target.value) }); }} />}
        </Field>
      </fieldset>
      <ScheduleEditor value={plan.schedule} disabled={isLockedHere} onChange={(schedule) => update({ ...plan, schedule })} onInvalid={(text) => setInvalidField(cronKey, text)} />
      <RetentionEditor value={plan.retention} disabled={isLockedHere} onChange={(retention) => update({ ...plan, retention })} />
      {!isLockedHere ? (
        <div>
          <button type="button" className="btn btn-ghost btn-danger" onClick={() => { setDraft({ ...draft, plans: draft.plans.filter((_, i) => i !== index) }); for (const key of Object.keys(invalid)) if (key.startsWith('plans.')) setInvalidField(key, null); onRemoved(); }}>
            {t('ui.plan.remove')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
