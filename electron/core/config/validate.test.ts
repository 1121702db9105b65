import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { diagnoseConfig } from './diagnostics.js';
import { checkRepoUri, splitRestCredentials } from './repo-uri.js';
import { cronProblem, parseConfig, validateConfig } from './validate.js';

const base = (over: Record<string, unknown> = {}) => ({
  version: 6,
  instance: 'pc-01',
  repos: [{ id: 'r1', uri: 'rest:https://backup.example/r1' }],
  plans: [{ id: 'p1', repo: 'r1', paths: ['/home/maria'], schedule: { cron: '0 12 * * 1-5' } }],
  ...over,
});

function fieldsOf(json: unknown, locale: 'en' | 'pt-BR' = 'en') {
  return Object.fromEntries(validateConfig(json, locale).fields.map((f) => [f.path, f.message]));
}

describe('parseConfig', () => {
  it('accepts a valid config and fills Backrest defaults', () => {
    const config = parseConfig(base());
    expect(config.plans[0]?.excludes).toEqual([]);
    expect(config.modno).toBe(0);
  });

  it('throws config.invalid naming each field path', () => {
    try {
      parseConfig(base({ plans: [{ id: 'p1', repo: 'r1', paths: ['/x'] }, { id: 'p2', paths: ['/y'] }] }), 'en');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CofreError);
      const e = error as CofreError;
      expect(e.code).toBe('config.invalid');
      expect(e.fields).toEqual([{ path: 'plans[1].repo', message: 'is required' }]);
      expect(e.toPayload('en').message).toContain('plans[1].repo: is required');
    }
  });

  it('translates zod problems in English and Portuguese', () => {
    const bad = base({
      instance: 42,
      repos: [{ id: 'r 1', uri: 'rest:https://h/r', env: ['NOPE'], guid: 'abc', prunePolicy: { maxUnusedPercent: 150 } }],
      plans: [{ id: 'p1', repo: 'r 1', paths: ['/x'], schedule: { clock: 'CLOCK_MARS' }, retention: { policyKeepLastN: 1.5 } }],
    });
    expect(fieldsOf(bad, 'en')).toEqual({
      instance: 'must be text',
      'repos[0].id': 'may only use letters, digits, "-", "_" or "."',
      'repos[0].guid': 'must be 64 hexadecimal characters',
      'repos[0].env[0]': 'must look like NAME=value',
      'repos[0].prunePolicy.maxUnusedPercent': 'must be at most 100',
      'plans[0].repo': 'may only use letters, digits, "-", "_" or "."',
      'plans[0].schedule.clock': 'must be one of: CLOCK_DEFAULT, CLOCK_LOCAL, CLOCK_UTC, CLOCK_LAST_RUN_TIME',
      'plans[0].retention.policyKeepLastN': 'must be a whole number',
    });
    const pt = fieldsOf(bad, 'pt-BR');
    expect(pt.instance).toBe('deve ser um texto');
    expect(pt['repos[0].env[0]']).toBe('deve ter a forma NOME=valor');
    expect(pt['plans[0].retention.policyKeepLastN']).toBe('deve ser um número inteiro');
    expect(pt['repos[0].prunePolicy.maxUnusedPercent']).toBe('deve ser no máximo 100');
  });

  it('reports missing required top-level fields and a wrong version', () => {
    expect(fieldsOf({ version: 5 }, 'pt-BR')).toEqual({ instance: 'é obrigatório' });
    expect(fieldsOf({ version: 7, instance: 'x' }, 'pt-BR')).toEqual({ version: 'é 7, mais nova que a última versão de configuração do Backrest (6); o próprio Backrest a recusa' });
    // Version 3 is migrated to 4 as Backrest does (migrate.test.ts); 1 is refused by Backrest too.
    expect(fieldsOf({ version: 3, instance: 'x' }, 'en')).toEqual({});
    expect(fieldsOf({ version: 1, instance: 'x' }, 'en')).toEqual({ version: 'is 1, too old for any Backrest after 1.4.0: open the file once in Backrest 1.4.0 so it is upgraded (Cofre reads versions 2 to 6)' });
    expect(fieldsOf({ version: 'six', instance: 'x' }, 'en')).toEqual({ version: 'must be one of: 4, 5, 6' });
    expect(fieldsOf([], 'en')).toEqual({ $: 'must be an object' });
    expect(fieldsOf(base({ repos: [{ id: '', uri: '' }], plans: [] }), 'en')).toMatchObject({ 'repos[0].id': 'must not be empty', 'repos[0].uri': 'must not be empty' });
  });

  it('requires plans to name an existing repository and ids to be unique', () => {
    const json = base({
      repos: [{ id: 'r1', uri: '/srv/r1' }, { id: 'r1', uri: '/srv/r2' }],
      plans: [{ id: 'p', repo: 'r2', paths: ['/a'] }, { id: 'p', repo: 'r1', paths: [] }],
    });
    expect(fieldsOf(json, 'en')).toEqual({
      'repos[1].id': 'the id "r1" is used more than once',
      'plans[1].id': 'the id "p" is used more than once',
      'plans[0].repo': 'names the repository "r2", which does not exist',
    });
  });

  it('regression: a plan without paths loads, as in Backrest (its validate.go does not require them); diagnostics say every run will fail', () => {
    const json = base({ plans: [{ id: 'p1', repo: 'r1', paths: [] }] });
    expect(fieldsOf(json, 'en')).toEqual({});
    const diagnostics = diagnoseConfig(parseConfig(json, 'en'), {}, 'en');
    expect(diagnostics).toMatchObject([{ code: 'plan-no-paths', severity: 'error', planId: 'p1', field: 'plans[p1].paths' }]);
    expect(diagnoseConfig(parseConfig(base({ plans: [{ id: 'p1', repo: 'r1', paths: [], backup_flags: ['--files-from /etc/lista.txt'] }] }), 'en'), {}, 'en')).toEqual([]);
  });

  it('checks one-of groups: schedule, retention, prune, check, hook action', () => {
    const json = base({
      repos: [{
        id: 'r1', uri: '/srv/r1',
        prunePolicy: { maxUnusedBytes: '10', maxUnusedPercent: 5 },
        // A schedule with no kind never fires (Backrest accepts it): not a problem.
        checkPolicy: { structureOnly: true, readDataSubsetPercent: 5, schedule: {} },
        hooks: [{ conditions: ['CONDITION_ANY_ERROR'] }],
      }],
      plans: [{
        id: 'p1', repo: 'r1', paths: ['/a'],
        schedule: { cron: '0 1 * * *', maxFrequencyDays: 1 },
        retention: { policyKeepLastN: 3, policyKeepAll: true },
        hooks: [{ conditions: [], actionCommand: { command: 'a' }, actionWebhook: { webhookUrl: 'https://x' } }],
      }],
    });
    expect(fieldsOf(json, 'en')).toEqual({
      'repos[0].prunePolicy': 'must set either maxUnusedBytes or maxUnusedPercent, not both',
      'repos[0].checkPolicy': 'must set either structureOnly or readDataSubsetPercent, not both',
      'repos[0].hooks[0]': 'must have exactly one action',
      'plans[0].schedule': 'must set exactly one of disabled, cron, maxFrequencyDays or maxFrequencyHours',
      'plans[0].retention': 'must use only one kind of retention (keep last, time buckets or keep all)',
      'plans[0].hooks[0]': 'must have exactly one action',
    });
  });

  it('keeps hooks with an action from a newer Backrest', () => {
    expect(validateConfig(base({ plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], hooks: [{ conditions: [], actionNtfy: { url: 'x' } }] }] })).fields).toEqual([]);
  });

  it('accepts 5-field cron only, and only parseable ones', () => {
    expect(cronProblem('0 12 * * 1-5')).toBeNull();
    expect(cronProblem('*/15 * * * *')).toBeNull();
    expect(cronProblem('0 0 12 * * 1')).toBe('config.problem.cronFields');
    expect(cronProblem('* * *')).toBe('config.problem.cronFields');
    expect(cronProblem('')).toBe('config.problem.cronFields');
    expect(cronProblem('61 * * * *')).toBe('config.problem.cronInvalid');
    expect(cronProblem('0 25 * * *')).toBe('config.problem.cronInvalid');
    // Descriptors Backrest's cron parser accepts (regression: '@daily' was refused).
    for (const descriptor of ['@daily', '@hourly', '@weekly', '@monthly', '@yearly', '@annually']) expect(cronProblem(descriptor)).toBeNull();
    expect(cronProblem('@midnight')).toBe('config.problem.cronFields');
    const fields = fieldsOf(base({ plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], schedule: { cron: '0 99 * * *' } }] }), 'pt-BR');
    expect(fields).toEqual({ 'plans[0].schedule.cron': 'não é uma expressão cron válida' });
  });
});

describe('what Backrest loads is accepted (issue 10)', () => {
  it('fills an empty or missing guid with sha256(repo id) like migration 004, unless autoInitialize', () => {
    const config = parseConfig(base({ repos: [{ id: 'r1', uri: '/srv/r1', guid: '' }, { id: 'r2', uri: '/srv/r2', autoInitialize: true, guid: '' }] }));
    expect(config.repos[0]?.guid).toBe(createHash('sha256').update('r1').digest('hex'));
    expect(config.repos[1]?.guid).toBeUndefined();
  });

  it('accepts instance "", a schedule with only a clock, @daily, numeric enums, int32 strings, nulls and proto names', () => {
    const json = {
      version: 4,
      instance: '',
      modno: '7',
      repos: [{ id: 'r1', uri: '/srv/r1', guid: '', prune_policy: { schedule: { clock: 2 }, max_unused_percent: '10', max_unused_bytes: '0' }, commandPrefix: null }],
      plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], schedule: { cron: '@daily', clock: 1 }, retention: { policyKeepLastN: '5' }, hooks: [{ conditions: [4], actionCommand: { command: 'echo' } }] }],
    };
    const config = parseConfig(json);
    expect(config).toMatchObject({ version: 4, instance: '', modno: 7 });
    expect(config.repos[0]?.prunePolicy).toEqual({ schedule: { clock: 'CLOCK_UTC' }, maxUnusedPercent: 10, maxUnusedBytes: '0' });
    expect(config.plans[0]).toMatchObject({ schedule: { cron: '@daily', clock: 'CLOCK_LOCAL' }, retention: { policyKeepLastN: 5 }, hooks: [{ conditions: ['CONDITION_SNAPSHOT_ERROR'] }] });
  });

  it('accepts a plan whose files come only from --files-from in backup_flags', () => {
    for (const flag of ['--files-from /etc/lista', '--files-from-raw=/x', '--files-from-verbatim /y']) {
      expect(fieldsOf(base({ plans: [{ id: 'p1', repo: 'r1', paths: [], backup_flags: [flag] }] }))).toEqual({});
    }
    // Loads (as in Backrest), but the diagnostics know `--files-fromage` names no files.
    const fromage = parseConfig(base({ plans: [{ id: 'p1', repo: 'r1', paths: [], backup_flags: ['--files-fromage'] }] }), 'en');
    expect(diagnoseConfig(fromage, {}, 'en').map((d) => d.code)).toEqual(['plan-no-paths']);
  });

  it('accepts both prune limits when one of them is 0 (Backrest writes both)', () => {
    expect(fieldsOf(base({ repos: [{ id: 'r1', uri: '/srv/r1', prunePolicy: { maxUnusedBytes: '0', maxUnusedPercent: 10 } }] }))).toEqual({});
  });
});

describe('what Backrest refuses is refused, with the field and a translated reason (issue 10)', () => {
  it('instance over 50 characters, with characters outside the id alphabet, or reserved', () => {
    expect(fieldsOf(base({ instance: 'a'.repeat(51) }), 'pt-BR')).toEqual({ instance: 'deve ter no máximo 50 caracteres' });
    expect(fieldsOf(base({ instance: 'a'.repeat(50) }))).toEqual({});
    expect(fieldsOf(base({ instance: 'pc financeiro' }))).toEqual({ instance: 'may only use letters, digits, "-", "_" or "."' });
    expect(fieldsOf(base({ instance: '_x_pc' }), 'pt-BR')).toEqual({ instance: 'não pode começar com "_x_" (reservado pelo Backrest)' });
  });

  it('reserved _x_ repo and plan ids', () => {
    expect(fieldsOf(base({ repos: [{ id: '_x_r', uri: '/r' }], plans: [{ id: '_x_p', repo: '_x_r', paths: ['/a'] }] }))).toEqual({
      'repos[0].id': 'must not start with "_x_" (reserved by Backrest)',
      'plans[0].id': 'must not start with "_x_" (reserved by Backrest)',
    });
  });

  it('guid together with autoInitialize, and (as Backrest judges a file) neither of them', () => {
    const guid = 'a'.repeat(64);
    expect(fieldsOf(base({ repos: [{ id: 'r1', uri: '/r', guid, autoInitialize: true }] }), 'pt-BR')).toEqual({
      'repos[0].autoInitialize': 'não pode ser usado junto com guid: o Backrest recusa os dois (o guid é obtido quando o repositório é criado)',
    });
    const strict = validateConfig(base({ repos: [{ id: 'r1', uri: '/r' }] }), 'en', { fillGuids: false });
    expect(strict.fields).toEqual([{ path: 'repos[0].guid', message: 'is required unless autoInitialize is on' }]);
  });

  it('auth enabled without users, or a user without passwordBcrypt', () => {
    expect(fieldsOf(base({ auth: { disabled: false, users: [] } }))).toEqual({ 'auth.users': 'must list at least one user while the web login is on (or set auth.disabled)' });
    expect(fieldsOf(base({ auth: { users: [{ name: 'ti' }] } }), 'pt-BR')).toEqual({ 'auth.users[0].passwordBcrypt': 'é obrigatório: o Backrest precisa de uma senha bcrypt para cada usuário' });
    expect(fieldsOf(base({ auth: { disabled: true } }))).toEqual({});
  });

  it('an empty retention {} and a time-bucketed policy with no bucket', () => {
    const withRetention = (retention: unknown) => base({ plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], retention }] });
    expect(fieldsOf(withRetention({}))).toEqual({ 'plans[0].retention': 'must name a policy (keep last, time buckets or keep all), or be left out' });
    expect(fieldsOf(withRetention({ policyTimeBucketed: {} }), 'pt-BR')).toEqual({ 'plans[0].retention.policyTimeBucketed': 'deve manter pelo menos um backup em algum período (hourly, daily, weekly, monthly, yearly ou keepLastN)' });
    expect(fieldsOf(withRetention({ policyTimeBucketed: { daily: 0, weekly: 0 } }))).toHaveProperty(['plans[0].retention.policyTimeBucketed']);
    expect(fieldsOf(withRetention({ policyTimeBucketed: { daily: 7 } }))).toEqual({});
    expect(fieldsOf(withRetention(null))).toEqual({});
  });

  it('a schedule with disabled: false', () => {
    expect(fieldsOf(base({ plans: [{ id: 'p1', repo: 'r1', paths: ['/a'], schedule: { disabled: false } }] }))).toEqual({ 'plans[0].schedule.disabled': 'must be true when present (leave it out to keep the schedule on)' });
  });
});

describe('repository URIs', () => {
  it.each([
    'rest:https://backup.example/financeiro',
    'rest:http://10.0.0.5:8000/financeiro',
    'rest:https://user:pa%40ss@backup.example/x/',
    '/srv/restic/repo',
    'C:\\Backups\\repo',
    'D:/backups',
    '\\\\nas\\backups\\repo',
    'local:/srv/repo',
    's3:s3.amazonaws.com/bucket',
    'sftp:user@host:/srv/restic',
    'b2:bucket:path',
    'azure:container:/',
    'gs:bucket:/',
    'rclone:remote:path',
    'swift:container:/path',
  ])('accepts %s', (uri) => expect(checkRepoUri(uri)).toBeNull());

  it.each([
    ['javascript:alert(1)', 'config.problem.uriScheme'],
    ['file:///etc/passwd', 'config.problem.uriScheme'],
    ['relative/path', 'config.problem.uriScheme'],
    ['rest:ftp://host/x', 'config.problem.uriRest'],
    ['rest:backup.example/x', 'config.problem.uriRest'],
    ['rest:https://', 'config.problem.uriRest'],
    ['s3:', 'config.problem.uriEmptyTarget'],
    ['/srv/repo\n--password-file=/x', 'config.problem.controlChars'],
    ['local:relative', 'config.problem.uriScheme'],
  ])('refuses %s', (uri, key) => expect(checkRepoUri(uri)?.key).toBe(key));

  it('reports a bad URI on the repo field in the user language', () => {
    expect(fieldsOf(base({ repos: [{ id: 'r1', uri: 'javascript:alert(1)' }] }), 'en')['repos[0].uri']).toMatch(/must be a local absolute folder/);
  });

  it('splits REST credentials out of a URI without touching the rest of it', () => {
    expect(splitRestCredentials('rest:https://op:s%40nha@host:8443/a/b?x=1')).toEqual({ uri: 'rest:https://host:8443/a/b?x=1', username: 'op', password: 's@nha' });
    expect(splitRestCredentials('rest:https://host/a@b')).toEqual({ uri: 'rest:https://host/a@b' });
    expect(splitRestCredentials('sftp:u@h:/x')).toEqual({ uri: 'sftp:u@h:/x' });
  });
});
