import { describe, expect, it } from 'vitest';
import { formToSchedule, scheduleToForm, defaultScheduleForm } from './schedule-form.js';
import { formToRetention, retentionKeepsSomething, retentionToForm, defaultRetentionForm } from './retention-form.js';
import { baseName, commonFolder, groupByDay, parentPath, splitBreadcrumbs } from './paths.js';
import { validateCron, validateHttpUrl, validateNewPassword, validatePathList, validateRepoUri, lines } from './validate.js';
import { addRepoAndPlan, caCertOf, isLocked, newRepo, presetOf, uniqueId, withCaCert } from './repo-form.js';
import { bannerFor, causeAction, causeText, gaveUpLine, humanizeId, pauseUntil, planLabel, policyBroken, protectionSentence, retryLine } from './status-model.js';
import type { PlanStatus } from '../../../electron/core/api.js';
import { parseRoute } from './route.js';
import { hookTargetText } from './hook-target.js';
import type { AgentStatus, AppInfo } from '../../../electron/core/api.js';

describe('schedule form', () => {
  it('recognises the friendly patterns and round-trips them', () => {
    expect(scheduleToForm({ cron: '30 * * * *', clock: 'CLOCK_LOCAL' })).toMatchObject({ mode: 'hourly', minute: 30 });
    expect(scheduleToForm({ cron: '0 12 * * *' })).toMatchObject({ mode: 'daily', hour: 12, minute: 0 });
    expect(scheduleToForm({ cron: '15 9 * * 1-5', clock: 'CLOCK_UTC' })).toMatchObject({ mode: 'weekly', hour: 9, minute: 15, weekdays: [1, 2, 3, 4, 5], utc: true });
    expect(scheduleToForm({ maxFrequencyHours: 4 })).toMatchObject({ mode: 'everyHours', everyHours: 4 });
    expect(scheduleToForm({ maxFrequencyDays: 2 })).toMatchObject({ mode: 'everyDays', everyDays: 2 });
    expect(scheduleToForm({ disabled: true }).mode).toBe('disabled');
    expect(scheduleToForm(undefined).mode).toBe('disabled');
    for (const s of [{ cron: '30 * * * *', clock: 'CLOCK_LOCAL' as const }, { cron: '15 9 * * 1,2,3,4,5', clock: 'CLOCK_UTC' as const }, { cron: '0 12 * * *', clock: 'CLOCK_LOCAL' as const }]) {
      expect(formToSchedule(scheduleToForm(s))).toEqual(s);
    }
  });

  it('keeps unusual cron expressions as raw cron', () => {
    const form = scheduleToForm({ cron: '*/15 8-18 * * 1-5' });
    expect(form.mode).toBe('cron');
    expect(formToSchedule(form)).toEqual({ cron: '*/15 8-18 * * 1-5', clock: 'CLOCK_LOCAL' });
  });

  it('sets exactly one schedule kind and keeps unknown fields', () => {
    const previous = { cron: '0 1 * * *', clock: 'CLOCK_LOCAL' as const, futureField: 'x' };
    const out = formToSchedule({ ...defaultScheduleForm, mode: 'everyHours', everyHours: 6 }, previous);
    expect(out).toEqual({ futureField: 'x', maxFrequencyHours: 6, clock: 'CLOCK_LAST_RUN_TIME' });
    expect(formToSchedule({ ...defaultScheduleForm, mode: 'disabled' }, previous)).toEqual({ futureField: 'x', disabled: true });
  });
});

describe('retention form', () => {
  it('maps the three policies both ways', () => {
    expect(retentionToForm({ policyKeepAll: true }).mode).toBe('all');
    expect(retentionToForm({ policyKeepLastN: 10 })).toMatchObject({ mode: 'lastN', lastN: 10 });
    expect(retentionToForm({ policyTimeBucketed: { daily: 7, weekly: 4 } })).toMatchObject({ mode: 'buckets', daily: 7, weekly: 4, monthly: 0, hourly: 0 });
    expect(formToRetention({ ...defaultRetentionForm, mode: 'buckets', hourly: 0, daily: 7, weekly: 4, monthly: 0, yearly: 0 })).toEqual({ policyTimeBucketed: { daily: 7, weekly: 4 } });
    expect(formToRetention({ ...defaultRetentionForm, mode: 'lastN', lastN: 5 }, { policyKeepAll: true })).toEqual({ policyKeepLastN: 5 });
  });

  it('refuses a policy that keeps nothing', () => {
    expect(retentionKeepsSomething({ ...defaultRetentionForm, mode: 'buckets', hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, bucketLastN: 0 })).toBe(false);
    expect(retentionKeepsSomething({ ...defaultRetentionForm, mode: 'lastN', lastN: 0 })).toBe(false);
    expect(retentionKeepsSomething(defaultRetentionForm)).toBe(true);
  });
});

describe('paths', () => {
  it('splits POSIX and Windows paths into breadcrumbs', () => {
    expect(splitBreadcrumbs('/home/ana/Documentos')).toEqual([
      { label: '/', path: '/' },
      { label: 'home', path: '/home' },
      { label: 'ana', path: '/home/ana' },
      { label: 'Documentos', path: '/home/ana/Documentos' },
    ]);
    expect(splitBreadcrumbs('/')).toEqual([{ label: '/', path: '/' }]);
    expect(splitBreadcrumbs('C:\\Users\\Ana Maria').map((c) => c.path)).toEqual(['C:\\', 'C:\\Users', 'C:\\Users\\Ana Maria']);
    expect(splitBreadcrumbs('C:/Users').map((c) => c.label)).toEqual(['C:', 'Users']);
    expect(parentPath('/home/ana')).toBe('/home');
    expect(parentPath('/')).toBe('/');
    expect(baseName('/home/ana/relatório final.xlsx')).toBe('relatório final.xlsx');
    expect(commonFolder(['/home/ana/Docs', '/home/ana/Fotos'])).toBe('/home/ana');
    expect(commonFolder(['/home/ana/Docs'])).toBe('/home/ana/Docs');
  });

  it('groups snapshots by local day, newest first', () => {
    const at = (d: number, h: number) => new Date(2026, 10, d, h).toISOString();
    const groups = groupByDay([{ time: at(26, 9) }, { time: at(27, 8) }, { time: at(27, 18) }]);
    expect(groups.map((g) => g.items.length)).toEqual([2, 1]);
    expect(groups[0]!.items[0]!.time).toBe(at(27, 18));
  });
});

describe('validation', () => {
  it('checks repository addresses', () => {
    expect(validateRepoUri('rest:https://backup.prefeitura.local/financeiro')).toBeNull();
    expect(validateRepoUri('/srv/backup')).toBeNull();
    expect(validateRepoUri('D:\\Backup')).toBeNull();
    expect(validateRepoUri('')).toBe('ui.validate.required');
    expect(validateRepoUri('rest:ftp://x')).toBe('ui.validate.restUrl');
    expect(validateRepoUri('rest:https://user:pw@host/repo')).toBe('ui.validate.uriCredentials');
    expect(validateRepoUri('backup-server')).toBe('ui.validate.repoUri');
  });

  it('checks paths, passwords, cron and URLs', () => {
    expect(validatePathList(lines('/home/ana\n\n C:\\Users\\ana '), true)).toBeNull();
    expect(validatePathList(['docs'], true)).toBe('ui.validate.absolutePath');
    expect(validatePathList([], true)).toBe('ui.validate.pathsRequired');
    expect(validateNewPassword('segredo-longo', 'segredo-longo')).toBeNull();
    expect(validateNewPassword('curta', 'curta')).toBe('ui.validate.passwordShort');
    expect(validateNewPassword('segredo-longo', 'outro-segredo')).toBe('ui.validate.passwordMismatch');
    expect(validateCron('*/15 8-18 * * 1-5')).toBeNull();
    expect(validateCron('0 12 * *')).toBe('ui.validate.cronFields');
    expect(validateCron('0 12 * * ?')).toBe('ui.validate.cron');
    expect(validateHttpUrl('https://hc-ping.com/abc')).toBeNull();
    expect(validateHttpUrl('file:///etc/passwd')).toBe('ui.validate.httpUrl');
  });
});

describe('repository form', () => {
  it('stores the CA certificate as restic flag and reads both spellings', () => {
    const repo = withCaCert(newRepo('r', 'rest:https://x/r'), '/etc/cofre/ca.crt');
    expect(repo.flags).toEqual(['--cacert=/etc/cofre/ca.crt']);
    expect(caCertOf(repo)).toBe('/etc/cofre/ca.crt');
    expect(caCertOf({ flags: ['--cacert', '/a.crt', '--limit-upload=100'] })).toBe('/a.crt');
    expect(withCaCert({ ...repo, flags: ['--cacert', '/a.crt', '--limit-upload=100'] }, '').flags).toEqual(['--limit-upload=100']);
  });

  it('derives ids and adds a first repository and plan', () => {
    expect(uniqueId('Financeiro Ação', [])).toBe('financeiro-acao');
    expect(uniqueId('servidor', ['servidor', 'servidor-2'])).toBe('servidor-3');
    const base = { modno: 3, version: 6 as const, instance: 'pc-ana', repos: [], plans: [] };
    const { config, planId } = addRepoAndPlan(base, newRepo('servidor', 'rest:https://x/r'), ['/home/ana']);
    expect(config.plans[0]).toMatchObject({ id: planId, repo: 'servidor', paths: ['/home/ana'] });
    expect(config.plans[0]!.schedule?.cron).toBeTruthy();
    expect(config.repos).toHaveLength(1);
  });

  it('treats parent keys and * as locking their children', () => {
    expect(isLocked(['repos'], 'repos.servidor')).toBe(true);
    expect(isLocked(['language'], 'notifications')).toBe(false);
    expect(isLocked(['*'], 'plans.x')).toBe(true);
  });
});

describe('status model', () => {
  const appInfo = { configured: true } as AppInfo;
  const status = (over: Partial<AgentStatus>): AgentStatus => ({ health: 'ok', cause: null, causePlanId: null, pausedUntil: null, plans: [], generatedAt: new Date().toISOString(), ...over });

  it('explains failures with their cause and action', () => {
    expect(bannerFor(status({ health: 'failed', cause: 'wrong-password' }), appInfo)).toEqual({
      tone: 'failed', title: 'ui.health.failed', cause: 'cause.wrong-password', action: 'cause.wrong-password.action', causeCode: 'wrong-password',
    });
    expect(bannerFor(status({ health: 'ok' }), appInfo)).toMatchObject({ tone: 'ok', cause: null });
    expect(bannerFor(status({ health: 'ok' }), { configured: false } as AppInfo).tone).toBe('not-configured');
    expect(bannerFor(null, null).tone).toBe('unknown');
    const never = { ...status({ health: 'overdue' }), plans: [{ state: 'never' }] } as AgentStatus;
    expect(bannerFor(never, appInfo)).toMatchObject({ tone: 'overdue', title: 'ui.planState.never' });
    const late = { ...status({ health: 'overdue' }), plans: [{ state: 'overdue' }, { state: 'never' }] } as AgentStatus;
    expect(bannerFor(late, appInfo)).toMatchObject({ tone: 'overdue', title: 'ui.health.overdue' });
  });

  it('after the last attempt no longer promises an automatic retry', () => {
    const gaveUp = { ...status({ health: 'failed', cause: 'server-unreachable' }), plans: [{ state: 'failed', lastCause: 'server-unreachable', gaveUpAfterAttempts: 5, running: null }] } as unknown as AgentStatus;
    expect(bannerFor(gaveUp, appInfo)).toMatchObject({ cause: 'cause.server-unreachable', action: 'ui.status.gaveUpAction' });
    const oneFailure = { ...status({ health: 'failed', cause: 'server-unreachable' }), plans: [{ state: 'failed', lastCause: 'server-unreachable', running: null }] } as unknown as AgentStatus;
    expect(bannerFor(oneFailure, appInfo)).toMatchObject({ action: 'cause.server-unreachable.action' });
  });

  it('says why a running backup is waiting', () => {
    expect(bannerFor(status({ health: 'running', cause: 'server-unreachable' }), appInfo)).toEqual({
      tone: 'running', title: 'ui.health.running', cause: 'cause.server-unreachable', action: 'cause.server-unreachable.action', causeCode: 'server-unreachable',
    });
    expect(bannerFor(status({ health: 'running' }), appInfo)).toMatchObject({ tone: 'running', cause: null });
  });

  it('pauses for an hour or until tomorrow morning', () => {
    const now = new Date(2026, 10, 27, 15, 30);
    expect(new Date(pauseUntil('hour', now)).getTime() - now.getTime()).toBe(3_600_000);
    const tomorrow = new Date(pauseUntil('tomorrow', now));
    expect([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()]).toEqual([28, 8, 0]);
  });

  it('routes by hash with status as the default', () => {
    expect(parseRoute('#/restore')).toBe('restore');
    expect(parseRoute('#/settings?x=1')).toBe('settings');
    expect(parseRoute('')).toBe('status');
    expect(parseRoute('#/nope')).toBe('status');
  });

  const at = (h: number, m: number) => new Date(2026, 10, 27, h, m).toISOString();
  const plan = (over: Partial<PlanStatus>): PlanStatus => ({
    planId: 'documentos', repoId: 'r', paths: ['/home/maria/Documentos'], state: 'ok', lastSuccessAt: null, lastAttemptAt: null, lastOutcome: null,
    lastCause: null, lastMessage: null, lastBackupBytes: null, nextRunAt: null, overdue: false, managed: false, running: null, ...over,
  });
  const now = new Date(2026, 10, 27, 14, 50);

  it('says up to when the files are safe, and that a later attempt failed, in time of day', () => {
    const failed = plan({ state: 'failed', lastSuccessAt: at(14, 30), lastAttemptAt: at(14, 36), lastOutcome: 'failure', lastCause: 'server-unreachable' });
    expect(protectionSentence(failed, now, 'clerk', 'pt-BR')).toBe('Seus arquivos estão protegidos até hoje, 14:30 · a tentativa das 14:36 falhou: Não foi possível conectar ao servidor de backup.');
    expect(protectionSentence(failed, now, 'clerk', 'en')).toMatch(/^Your files are protected up to today, 0?2:30\sPM · the attempt at 0?2:36\sPM failed: /);
    const ok = plan({ lastSuccessAt: at(14, 30), lastAttemptAt: at(14, 30), lastOutcome: 'success' });
    expect(protectionSentence(ok, now, 'clerk', 'pt-BR')).toBe('Seus arquivos estão protegidos até hoje, 14:30');
    const yesterday = plan({ lastSuccessAt: new Date(2026, 10, 26, 9, 5).toISOString(), lastOutcome: 'success', lastAttemptAt: at(9, 5) });
    expect(protectionSentence(yesterday, now, 'clerk', 'pt-BR')).toBe('Seus arquivos estão protegidos até ontem, 09:05');
    expect(protectionSentence(plan({}), now, 'clerk', 'pt-BR')).toBe('Nenhum backup destes arquivos terminou ainda');
  });

  it('while retrying says when and which attempt, and after the last one when the schedule tries next', () => {
    const retrying = plan({ state: 'ok', running: { jobId: 'j', progress: null, retryCause: 'server-unreachable', retry: { attempt: 3, maxAttempts: 5, nextAttemptAt: at(14, 40) } } });
    expect(retryLine(retrying, 'pt-BR')).toBe('Tentando de novo às 14:40 (tentativa 3 de 5)');
    expect(retryLine(plan({ running: { jobId: 'j', progress: null } }), 'pt-BR')).toBeNull();
    const status = { health: 'running', cause: 'server-unreachable', causePlanId: 'documentos', pausedUntil: null, plans: [retrying], generatedAt: now.toISOString() } as AgentStatus;
    expect(bannerFor(status, appInfo)).toMatchObject({ tone: 'warning', title: 'ui.health.retrying' });
    const gaveUp = plan({ state: 'failed', gaveUpAfterAttempts: 5, nextRunAt: at(18, 0) });
    expect(gaveUpLine(gaveUp, now, 'pt-BR')).toBe('O Cofre tentou 5 vezes e parou. Próximo backup agendado: hoje, 18:00.');
  });

  it('speaks plainly to a clerk and precisely to a technician, who is never told to ask the technician', () => {
    expect(causeText('wrong-password', 'clerk', 'pt-BR')).not.toMatch(/senha do repositório|repositório/);
    expect(causeText('no-repository', 'clerk', 'pt-BR')).not.toMatch(/repositório/);
    expect(causeText('wrong-password', 'technician', 'pt-BR')).toBe('A senha do repositório está errada.');
    expect(causeAction('wrong-password', 'technician', 'pt-BR')).not.toMatch(/técnico/i);
    expect(causeAction('server-unreachable', 'technician', 'pt-BR')).toBe('Verifique a conexão de rede. O Cofre tentará de novo automaticamente.');
  });

  it('names plans by their label, else by their id made readable', () => {
    expect(planLabel({ planId: 'p', label: 'Documentos da Secretaria' })).toBe('Documentos da Secretaria');
    expect(planLabel({ planId: 'financeiro-2024', label: null })).toBe('Financeiro 2024');
    expect(humanizeId('meus_documentos')).toBe('Meus documentos');
  });

  it('knows when the machine policy is broken', () => {
    expect(policyBroken({ configProblem: { code: 'policy.notJson', message: 'x' } } as AppInfo)).toBe(true);
    expect(policyBroken({ configProblem: null } as AppInfo)).toBe(false);
  });
});

describe('hook target text', () => {
  it('regression: a secret reference (cofre-secret:<key>) is shown as "stored securely", never as the reference', () => {
    expect(hookTargetText('cofre-secret:hook/3f9a0c1b2d4e/actionHealthchecks.webhookUrl', 'pt-BR')).toBe('(guardado com segurança)');
    expect(hookTargetText('cofre-secret:hook/3f9a0c1b2d4e/actionHealthchecks.webhookUrl', 'en')).toBe('(stored securely)');
    expect(hookTargetText('https://hooks.example/ana', 'en')).toBe('https://hooks.example/ana');
  });
});

describe('enrollment retention choice', () => {
  it('recognises a policy retention that is one of the wizard presets, whatever the key order', () => {
    expect(presetOf({ policyTimeBucketed: { monthly: 12, weekly: 4, daily: 7 } })).toBe('year');
    expect(presetOf({ policyTimeBucketed: { daily: 30 } })).toBe('month');
  });
  it('treats anything else as IT’s own retention', () => {
    expect(presetOf({ policyTimeBucketed: { daily: 10, monthly: 6 } })).toBeNull();
    expect(presetOf({ policyTimeBucketed: { daily: 30, keepLastN: 3 } })).toBeNull();
    expect(presetOf({ policyKeepLastN: 30 })).toBeNull();
    expect(presetOf(null)).toBeNull();
  });
});
