import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoEnvKey, repoPasswordKey } from '../secrets/secret-store.js';
import { parseBackrestFile } from './backrest-io.js';
import type { Config } from './backrest-schema.js';
import { affectedRepoIds, isFreshConfig, parseImportFile, planImport } from './import-merge.js';
import { defaultConfig } from './store.js';
import { parseConfig } from './validate.js';

const batatais = readFileSync(new URL('./fixtures/backrest-batatais.json', import.meta.url), 'utf8');

/** The working Cofre of the bug report: one repo ("trabalho") and one plan, hooks, auth and a sync block. */
function workingConfig(): Config {
  return parseConfig({
    modno: 7,
    version: 6,
    instance: 'pc-ana',
    repos: [{ id: 'trabalho', uri: 'rest:https://backup.example/ana', env: ['RESTIC_REST_USERNAME=ana'], hooks: [{ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionWebhook: { webhookUrl: 'https://hooks.example/x' } }] }],
    plans: [{ id: 'meus-docs', repo: 'trabalho', paths: ['/home/ana/Documentos'], schedule: { cron: '0 12 * * *' } }],
    auth: { disabled: true },
    sync: { identity: { keyId: 'ed25519.abc' } },
    cofreExtra: { kept: true },
  });
}

const stored = {
  [repoPasswordKey('trabalho')]: 'senha-do-trabalho',
  [repoEnvKey('trabalho', 'RESTIC_REST_PASSWORD')]: 'rest-do-trabalho',
};

function file(content: Record<string, unknown>): Config {
  return parseBackrestFile(JSON.stringify({ version: 6, instance: 'backrest-pc', ...content }), 'en').config;
}

describe('planImport (merge, the default)', () => {
  it('adds the file’s repos and plans and leaves everything else of the current config untouched', () => {
    const current = workingConfig();
    const imported = parseBackrestFile(batatais, 'en').config;
    const { config, preview } = planImport(current, imported, { mode: 'merge', storedSecrets: stored }, 'en');

    expect(config.repos.map((r) => r.id)).toEqual(['trabalho', 'financeiro', 's3-offsite', 'legado']);
    expect(config.plans.map((p) => p.id)).toEqual(['meus-docs', 'documentos', 'sistema', 'arquivo-morto']);
    expect(config.repos[0]).toEqual(current.repos[0]);
    expect(config.plans[0]).toEqual(current.plans[0]);
    expect(config.auth).toEqual(current.auth);
    expect(config.sync).toEqual(current.sync);
    expect(config.cofreExtra).toEqual({ kept: true });
    expect(config.modno).toBe(7);
    expect(preview.repos.added.map((r) => r.id)).toEqual(['financeiro', 's3-offsite', 'legado']);
    expect(preview.repos.untouched).toEqual(['trabalho']);
    expect(preview.plans.untouched).toEqual(['meus-docs']);
    expect(preview.repos.removed).toEqual([]);
    expect(preview.settings).toEqual([]);
    expect(parseConfig(config)).toBeTruthy();
  });

  it('keeps the instance of a configured Cofre unless the technician takes the file’s', () => {
    const current = workingConfig();
    const imported = parseBackrestFile(batatais, 'en').config;
    const kept = planImport(current, imported, { mode: 'merge' }, 'en');
    expect(kept.config.instance).toBe('pc-ana');
    expect(kept.preview.instance).toEqual({ current: 'pc-ana', file: imported.instance, result: 'pc-ana', changes: false });
    const taken = planImport(current, imported, { mode: 'merge', takeInstance: true }, 'en');
    expect(taken.config.instance).toBe(imported.instance);
    expect(taken.preview.instance.changes).toBe(true);
  });

  it('a fresh (unconfigured) Cofre adopts the file’s instance and settings, so Backrest’s created-by history stays visible', () => {
    const fresh = defaultConfig('maquina-nova');
    expect(isFreshConfig(fresh)).toBe(true);
    const imported = file({ repos: [{ id: 'r', uri: '/srv/r', password: 'p' }], plans: [{ id: 'p', repo: 'r', paths: ['/d'] }], auth: { disabled: true } });
    const { config, preview } = planImport(fresh, imported, { mode: 'merge' }, 'en');
    expect(config.instance).toBe('backrest-pc');
    expect(config.auth).toEqual({ disabled: true, users: [] });
    expect(preview.fresh).toBe(true);
    expect(preview.instance.changes).toBe(true);
    // Explicitly refusing the file's name still works.
    expect(planImport(fresh, imported, { mode: 'merge', takeInstance: false }, 'en').config.instance).toBe('maquina-nova');
  });

  it('updates a repo and a plan by id and names the fields that change', () => {
    const current = workingConfig();
    const imported = file({
      repos: [{ id: 'trabalho', uri: 'rest:https://novo.example/ana', env: ['RESTIC_REST_USERNAME=ana'], hooks: current.repos[0]!.hooks }],
      plans: [{ id: 'meus-docs', repo: 'trabalho', paths: ['/home/ana/Documentos', '/home/ana/Fotos'], schedule: { cron: '0 12 * * *' } }],
    });
    const { config, preview } = planImport(current, imported, { mode: 'merge', storedSecrets: stored }, 'en');
    expect(config.repos).toHaveLength(1);
    expect(config.repos[0]!.uri).toBe('rest:https://novo.example/ana');
    expect(preview.repos.updated).toEqual([{ id: 'trabalho', fields: ['uri'], secrets: [] }]);
    expect(preview.plans.updated).toEqual([{ id: 'meus-docs', fields: ['paths'] }]);
    expect(preview.repos.added).toEqual([]);
  });

  it('an identical entry counts as unchanged, and an identical password is not a change', () => {
    const current = workingConfig();
    const imported = file({ repos: [{ ...current.repos[0]!, password: 'senha-do-trabalho' }], plans: [current.plans[0]!] });
    const { preview } = planImport(current, imported, { mode: 'merge', storedSecrets: stored }, 'en');
    expect(preview.repos.unchanged).toEqual(['trabalho']);
    expect(preview.plans.unchanged).toEqual(['meus-docs']);
    expect(preview.repos.updated).toEqual([]);
  });

  it('a repo of the file carrying a password replaces the stored one; one without keeps it (nothing is dropped)', () => {
    const current = workingConfig();
    const withPassword = planImport(current, file({ repos: [{ ...current.repos[0]!, password: 'nova-senha' }] }), { mode: 'merge', storedSecrets: stored }, 'en');
    expect(withPassword.preview.repos.updated).toEqual([{ id: 'trabalho', fields: [], secrets: ['password'] }]);
    expect(withPassword.config.repos[0]!.password).toBe('nova-senha');
    const without = planImport(current, file({ repos: [{ ...current.repos[0]!, uri: 'rest:https://outro.example/ana' }] }), { mode: 'merge', storedSecrets: stored }, 'en');
    expect(without.config.repos[0]!.password).toBeUndefined();
    expect(without.preview.repos.updated[0]!.secrets).toEqual([]);
    expect(without.preview.repos.removed).toEqual([]);
  });

  it('the secrets of repos not in the file survive: they are neither in the removal list nor among affected repos', () => {
    const current = workingConfig();
    const imported = parseBackrestFile(batatais, 'en').config;
    const { preview } = planImport(current, imported, { mode: 'merge', storedSecrets: stored }, 'en');
    expect(preview.repos.removed).toEqual([]);
    expect(affectedRepoIds(current, imported, 'merge')).not.toContain('trabalho');
    expect(affectedRepoIds(current, imported, 'replace')).toContain('trabalho');
  });

  it('the preview names the file’s secrets but never holds a value', () => {
    const current = workingConfig();
    const imported = parseBackrestFile(batatais, 'en').config;
    const { preview } = planImport(current, imported, { mode: 'replace', storedSecrets: stored }, 'en');
    const text = JSON.stringify(preview);
    for (const secret of ['s3nh@-do-Repositório', 'nginx-basic-auth-pass', 'offsite-passphrase', 'wJalrXUtnFEMI/K7MDENG', 'senha@antiga', 'senha-do-trabalho', 'rest-do-trabalho']) {
      expect(text).not.toContain(secret);
    }
    expect(preview.secretsFromFile).toBe(7);
    expect(preview.repos.added.find((r) => r.id === 'financeiro')!.secrets).toContain('password');
  });

  it('refuses a plan whose repository is neither in the file nor in the config, naming the field', () => {
    const current = workingConfig();
    const imported = { ...file({}), plans: [{ id: 'x', repo: 'sumiu', paths: ['/d'], excludes: [], iexcludes: [], hooks: [], backup_flags: [] }] } as Config;
    expect(() => planImport(current, imported, { mode: 'merge' }, 'pt-BR')).toThrowError(expect.objectContaining({
      code: 'config.invalid',
      fields: [{ path: 'plans[0].repo', message: 'indica o repositório "sumiu", que não existe' }],
    }));
  });
});

describe('parseImportFile', () => {
  it('in a merge, accepts a plan of the file that uses a repository only the current config has', () => {
    const current = workingConfig();
    const raw = JSON.stringify({ version: 6, instance: 'x', plans: [{ id: 'fotos', repo: 'trabalho', paths: ['/home/ana/Fotos'] }] });
    const { config } = parseImportFile(raw, current, 'merge', 'en');
    expect(config.repos).toEqual([]);
    const { config: merged, preview } = planImport(current, config, { mode: 'merge' }, 'en');
    expect(merged.plans.map((p) => p.id)).toEqual(['meus-docs', 'fotos']);
    expect(preview.repos.untouched).toEqual(['trabalho']);
  });

  it('refuses such a plan when replacing, and a repository in neither always, with field and reason', () => {
    const current = workingConfig();
    const usesCurrent = JSON.stringify({ version: 6, instance: 'x', plans: [{ id: 'fotos', repo: 'trabalho', paths: ['/f'] }] });
    expect(() => parseImportFile(usesCurrent, current, 'replace', 'en')).toThrowError(expect.objectContaining({ code: 'config.invalid', fields: [expect.objectContaining({ path: 'plans[0].repo' })] }));
    const usesNone = JSON.stringify({ version: 6, instance: 'x', plans: [{ id: 'fotos', repo: 'nenhum', paths: ['/f'] }] });
    expect(() => parseImportFile(usesNone, current, 'merge', 'en')).toThrowError(expect.objectContaining({ code: 'config.invalid', fields: [expect.objectContaining({ path: 'plans[0].repo' })] }));
  });
});

describe('planImport (replace)', () => {
  it('takes the whole file and lists what it removes, with the names of their saved secrets', () => {
    const current = workingConfig();
    const imported = parseBackrestFile(batatais, 'en').config;
    const { config, preview } = planImport(current, imported, { mode: 'replace', storedSecrets: stored }, 'en');
    expect(config.repos.map((r) => r.id)).toEqual(['financeiro', 's3-offsite', 'legado']);
    expect(config.plans.map((p) => p.id)).toEqual(['documentos', 'sistema', 'arquivo-morto']);
    expect(preview.repos.removed).toEqual([{ id: 'trabalho', secrets: ['RESTIC_REST_PASSWORD', 'password'] }]);
    expect(preview.plans.removed).toEqual(['meus-docs']);
    expect(preview.repos.untouched).toEqual([]);
    expect(preview.settings).toEqual(expect.arrayContaining(['auth', 'cofreExtra', 'sync']));
    // Replacing keeps the instance too, unless asked.
    expect(config.instance).toBe('pc-ana');
    expect(config.modno).toBe(7);
  });
});
