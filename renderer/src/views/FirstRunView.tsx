// First run: connect to the organization's server, enroll from the policy template, or try Cofre
// with a local folder. Each path ends with a saved repository, one plan and an initialised repo.
import { useEffect, useState, type FormEvent } from 'react';
import type { Retention } from '../../../electron/core/config/backrest-schema.js';
import type { ApiOutput } from '../../../electron/core/api.js';
import { getLocale, t, type MessageKey } from '../../../electron/core/i18n/index.js';
import { ErrorNotice, Field, useAction } from '../components/common.js';
import { navigate } from '../components/route.js';
import { RestCredentialsFieldset } from '../components/RestCredentialsFieldset.js';
import { addRepoAndPlan, isLocked, newRepo, presetOf, retentionPresets, uniqueId, type RetentionPreset } from '../logic/repo-form.js';
import { lines, validateNewPassword, validatePathList, validateRepoUri, isAbsolutePath } from '../logic/validate.js';
import { useClient, useStore } from '../state/store.js';
import { TechnicianGate } from './SettingsView.js';
import { ConnectionResult } from './SettingsParts.js';

type Path = 'choose' | 'server' | 'enroll' | 'local';

export function FirstRunView() {
  const appInfo = useStore((s) => s.appInfo)!;
  const [path, setPath] = useState<Path>('choose');
  if (appInfo.technicianPasswordRequired && !appInfo.technician && !appInfo.enrollmentTemplate) return <TechnicianGate />;

  return (
    <div className="first-run">
      <div className="first-run-head">
        <h1 className="hero-title">{t('ui.firstRun.title')}</h1>
        <p className="lead">{appInfo.branding.organization ? t('ui.firstRun.introOrg', { organization: appInfo.branding.organization }) : t('ui.firstRun.intro')}</p>
      </div>
      {appInfo.configured ? <p className="notice notice-ok" role="status">{t('ui.firstRun.alreadyConfigured')}</p> : null}
      {path === 'choose' ? (
        <div className="choice-cards">
          {appInfo.enrollmentTemplate ? (
            <button type="button" className="choice-card recommended" onClick={() => setPath('enroll')}>
              <span className="choice-card-title">{t('ui.firstRun.enroll')}</span>
              <span className="choice-card-text">{t('ui.firstRun.enrollText')}</span>
            </button>
          ) : null}
          <button type="button" className={`choice-card${appInfo.enrollmentTemplate ? '' : ' recommended'}`} onClick={() => setPath('server')}>
            <span className="choice-card-title">{t('ui.firstRun.server')}</span>
            <span className="choice-card-text">{t('ui.firstRun.serverText')}</span>
          </button>
          <button type="button" className="choice-card" onClick={() => setPath('local')}>
            <span className="choice-card-title">{t('ui.firstRun.local')}</span>
            <span className="choice-card-text">{t('ui.firstRun.localText')}</span>
          </button>
        </div>
      ) : (
        <div className="card first-run-form">
          <button type="button" className="btn btn-ghost btn-small back" onClick={() => setPath('choose')}>{t('ui.firstRun.back')}</button>
          {path === 'server' ? <ServerSetup local={false} /> : null}
          {path === 'local' ? <ServerSetup local /> : null}
          {path === 'enroll' ? <EnrollSetup /> : null}
        </div>
      )}
    </div>
  );
}

/** Server and local-folder setup share one flow: fields, test, then save + initialise. */
function ServerSetup({ local }: { local: boolean }) {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const refresh = useStore((s) => s.refresh);
  const [uri, setUri] = useState('');
  const [restUser, setRestUser] = useState('');
  const [restPassword, setRestPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [caCert, setCaCert] = useState('');
  const [paths, setPaths] = useState(appInfo.homeDir);
  const [keep, setKeep] = useState<RetentionPreset>('year');
  const [touched, setTouched] = useState(false);
  const [result, setResult] = useState<ApiOutput<'testConnection'> | null>(null);

  const uriProblem = local ? (!uri.trim() ? 'ui.validate.required' : isAbsolutePath(uri.trim()) ? null : 'ui.validate.absolutePath') : validateRepoUri(uri);
  // A new local repository gets a new password (typed twice); a server repository already has one.
  const passwordProblem = local ? validateNewPassword(password, confirm) : password ? null : 'ui.validate.required';
  const pathsProblem = validatePathList(lines(paths), true);
  const valid = !uriProblem && !passwordProblem && !pathsProblem;

  const draftRepo = () => newRepo('servidor', uri.trim(), local ? '' : caCert);
  const secrets = () => ({ password, ...(restUser ? { restUsername: restUser } : {}), ...(restPassword ? { restPassword } : {}) });

  const test = useAction(async () => {
    setResult(await client.call('testConnection', { repo: draftRepo(), secrets: secrets() }));
  });
  const finish = useAction(async () => {
    const { config } = await client.call('getConfig', {});
    const repo = { ...draftRepo(), id: uniqueId(local ? 'local' : 'servidor', config.repos.map((r) => r.id)) };
    const next = addRepoAndPlan(config, repo, lines(paths), retentionPresets[keep]);
    await client.call('setConfig', { config: next.config, modno: config.modno });
    await client.call('setRepoSecrets', { repoId: repo.id, ...secrets() });
    await client.call('initRepo', { repoId: repo.id });
    await refresh();
    navigate('status');
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (valid) void finish.run();
  };
  const show = (p: string | null) => (touched && p ? t(p as Parameters<typeof t>[0]) : null);

  return (
    <form onSubmit={onSubmit} className="editor-stack plain" noValidate>
      <h2 className="card-title">{local ? t('ui.firstRun.local') : t('ui.firstRun.server')}</h2>
      <p className="muted small">{local ? t('ui.firstRun.localHelp') : t('ui.firstRun.serverHelp')}</p>
      <Field label={local ? t('ui.firstRun.localFolder') : t('ui.repo.uri')} hint={local ? null : t('ui.repo.uriHint')} problem={show(uriProblem)}>
        {(p) => <input {...p} type="text" className="mono" value={uri} placeholder={local ? `${appInfo.homeDir}/cofre-teste` : 'rest:https://backup.exemplo.gov.br/financeiro'} onChange={(e) => setUri(e.target.value)} />}
      </Field>
      {!local ? (
        <>
          <RestCredentialsFieldset user={restUser} onUser={setRestUser} password={restPassword} onPassword={setRestPassword} />
          <Field label={t('ui.repo.caCert')} hint={t('ui.repo.caCertHint')}>
            {(p) => <input {...p} type="text" className="mono" value={caCert} onChange={(e) => setCaCert(e.target.value)} />}
          </Field>
        </>
      ) : null}
      <div className="row gap-m wrap">
        <Field label={t('ui.repo.password')} hint={local ? t('ui.firstRun.newPasswordHint') : t('ui.repo.passwordHint')} problem={show(passwordProblem)}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        {local ? (
          <Field label={t('ui.firstRun.confirmPassword')}>
            {(p) => <input {...p} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
          </Field>
        ) : null}
      </div>
      <WhatAndHowLong paths={paths} setPaths={setPaths} keep={keep} setKeep={setKeep} problem={show(pathsProblem)} />

      {test.error ? <ErrorNotice error={test.error} /> : null}
      {result ? <ConnectionResult result={result} /> : null}
      {finish.error ? <ErrorNotice error={finish.error} /> : null}

      <div className="row gap-s wrap">
        <button type="button" className="btn btn-secondary" disabled={test.busy} onClick={() => { setTouched(true); if (!uriProblem) void test.run(); }}>
          {test.busy ? t('ui.repo.testing') : t('ui.repo.test')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={finish.busy}>
          {finish.busy ? t('ui.firstRun.saving') : result && result.ok && result.initialized ? t('ui.firstRun.save') : t('ui.firstRun.saveInit')}
        </button>
      </div>
    </form>
  );
}

function EnrollSetup() {
  const client = useClient();
  const appInfo = useStore((s) => s.appInfo)!;
  const refresh = useStore((s) => s.refresh);
  const [restUser, setRestUser] = useState('');
  const [restPassword, setRestPassword] = useState('');
  const [password, setPassword] = useState('');
  // What IT prepared for this computer; a setting the policy locks is shown but not editable.
  const defaults = appInfo.enrollmentDefaults ?? null;
  const planId = defaults?.planId ?? 'documentos';
  const pathsLocked = isLocked(appInfo.locked, `plans.${planId}.paths`);
  const retentionLocked = isLocked(appInfo.locked, `plans.${planId}.retention`);
  const itRetention = defaults?.retention ?? null;
  const [paths, setPaths] = useState((defaults?.paths ?? [appInfo.homeDir]).join('\n'));
  const [keep, setKeep] = useState<KeepChoice>(presetOf(itRetention) ?? (itRetention ? 'policy' : 'year'));
  const pathsProblem = pathsLocked ? null : validatePathList(lines(paths), true);
  const enroll = useAction(async (e: FormEvent) => {
    e.preventDefault();
    await client.call('enroll', {
      ...(password ? { password } : {}),
      ...(restUser ? { restUsername: restUser } : {}),
      ...(restPassword ? { restPassword } : {}),
      ...(pathsLocked ? {} : { paths: lines(paths) }),
      ...(retentionLocked || keep === 'policy' ? {} : { retention: retentionPresets[keep] }),
    });
    await refresh();
    navigate('status');
  });
  const preview = (appInfo.enrollmentTemplate ?? '').replace('{hostname}', appInfo.hostname).replace('{username}', appInfo.username);
  return (
    <form onSubmit={(e) => void enroll.run(e)} className="editor-stack plain">
      <h2 className="card-title">{t('ui.firstRun.enroll')}</h2>
      <p className="muted small">{t('ui.firstRun.enrollHelp')}</p>
      <p className="mono preview-uri">{preview}</p>
      <RestCredentialsFieldset user={restUser} onUser={setRestUser} password={restPassword} onPassword={setRestPassword} />
      <Field label={t('ui.repo.password')} hint={t('ui.firstRun.enrollPasswordHint')}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <WhatAndHowLong paths={paths} setPaths={setPaths} keep={keep} setKeep={setKeep} problem={pathsProblem ? t(pathsProblem) : null} itRetention={itRetention} pathsLocked={pathsLocked} retentionLocked={retentionLocked} />
      {enroll.error ? <ErrorNotice error={enroll.error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={enroll.busy || Boolean(pathsProblem)}>{t('ui.firstRun.enrollButton')}</button>
    </form>
  );
}

/** Before anything is saved the person sees which folders are protected and for how long, and can change both. */
type KeepChoice = RetentionPreset | 'policy';

/**
 * Before anything is saved the person sees which folders are protected and for how long, and can
 * change both, except what the machine policy locks (shown read-only). `itRetention`: the retention
 * IT prepared; when it is none of the presets it is offered as its own choice.
 */
function WhatAndHowLong({ paths, setPaths, keep, setKeep, problem, itRetention = null, pathsLocked = false, retentionLocked = false }: {
  paths: string;
  setPaths: (v: string) => void;
  keep: KeepChoice;
  setKeep: (v: RetentionPreset) => void;
  problem: string | null;
  itRetention?: Retention | null;
  pathsLocked?: boolean;
  retentionLocked?: boolean;
}) {
  const client = useClient();
  const [itDescription, setItDescription] = useState('');
  const custom = itRetention && !presetOf(itRetention) ? itRetention : null;
  useEffect(() => {
    if (!custom) return;
    let live = true;
    void client.call('previewRetention', { retention: custom }).then((r) => { if (live) setItDescription(r.description); }, () => undefined);
    return () => { live = false; };
  }, [JSON.stringify(custom)]);
  const folders = new Intl.ListFormat(getLocale(), { type: 'conjunction' }).format(lines(paths));
  const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase() + text.slice(1);
  const choiceText = (k: KeepChoice) => (k === 'policy' ? t('ui.firstRun.keep.policy', { retention: lowerFirst(itDescription) }) : t(`ui.firstRun.keep.${k}` as MessageKey));
  const howLong = choiceText(keep);
  const choices: KeepChoice[] = [...(custom ? (['policy'] as const) : []), ...(Object.keys(retentionPresets) as RetentionPreset[])];
  const lockedText = t('ui.firstRun.lockedByIt');
  return (
    <fieldset className="editor what-how-long">
      <legend>{t('ui.firstRun.whatTitle')}</legend>
      <Field label={t('ui.firstRun.whatFolders')} hint={pathsLocked ? null : t('ui.plan.pathsHint')} problem={problem} locked={pathsLocked ? lockedText : null}>
        {(p) => <textarea {...p} rows={2} className="mono" value={paths} readOnly={pathsLocked} onChange={(e) => setPaths(e.target.value)} />}
      </Field>
      <Field label={t('ui.firstRun.howLong')} locked={retentionLocked ? lockedText : null}>
        {(p) => retentionLocked ? (
          // Shown in full as text: a disabled select would cut it at tray width and look broken.
          <p {...p} className="locked-value">{choiceText(keep)}</p>
        ) : (
          <select {...p} value={keep} onChange={(e) => setKeep(e.target.value as RetentionPreset)}>
            {choices.map((k) => <option key={k} value={k}>{choiceText(k)}</option>)}
          </select>
        )}
      </Field>
      {folders ? <p className="preview" role="status">{t('ui.firstRun.summary', { folders, howLong: lowerFirst(howLong) })}</p> : null}
    </fieldset>
  );
}
