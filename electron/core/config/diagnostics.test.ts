import { describe, expect, it } from 'vitest';
import type { Config, Repo } from './backrest-schema.js';
import { diagnoseConfig, diagnoseRepo, editDistance, suggestResticEnvName } from './diagnostics.js';

const repo = (extra: Partial<Repo> = {}): Repo => ({ id: 'financeiro', uri: 'rest:https://backup.batatais.sp.gov.br/financeiro', env: [], flags: [], ...extra }) as Repo;
const config = (repos: Repo[], plans: unknown[] = []): Config => ({ version: 4, instance: 'pc-01', modno: 0, repos, plans }) as unknown as Config;
const codes = (items: { code: string }[]): string[] => items.map((d) => d.code);

describe('environment names restic does not read', () => {
  it("the Prefeitura guide's REST_RESTIC_* names: says they are ignored and names the right ones", () => {
    const items = diagnoseRepo(repo({ env: ['REST_RESTIC_USERNAME=backup', 'REST_RESTIC_PASSWORD=segredo'] }), {}, 'pt-BR');
    expect(codes(items)).toEqual(['env-not-read', 'env-not-read']);
    expect(items[0]).toMatchObject({ severity: 'warning', repoId: 'financeiro', field: 'repos[financeiro].env' });
    expect(items[0]?.message).toBe('A variável REST_RESTIC_USERNAME do repositório "financeiro" é ignorada pelo restic.');
    expect(items[0]?.action).toContain('RESTIC_REST_USERNAME');
    expect(items[1]?.action).toContain('RESTIC_REST_PASSWORD');
    // never the value
    expect(JSON.stringify(items)).not.toContain('segredo');
  });
  it('near misses of real RESTIC_* names get a suggestion', () => {
    expect(suggestResticEnvName('RESTIC_PASWORD')).toBe('RESTIC_PASSWORD');
    expect(suggestResticEnvName('RESTIC_PASSWORD_FIEL')).toBe('RESTIC_PASSWORD_FILE');
    expect(suggestResticEnvName('RESTIC_CA_CERT')).toBe('RESTIC_CACERT');
    expect(suggestResticEnvName('RESTIC_REST_USER')).toBe('RESTIC_REST_USERNAME');
    expect(suggestResticEnvName('restic_rest_password')).toBe('RESTIC_REST_PASSWORD');
    expect(suggestResticEnvName('RESTIC_PACKSIZE')).toBe('RESTIC_PACK_SIZE');
  });
  it('real names and unrelated names get none', () => {
    for (const name of ['RESTIC_REST_USERNAME', 'RESTIC_PASSWORD_COMMAND', 'RESTIC_READ_CONCURRENCY', 'AWS_ACCESS_KEY_ID', 'B2_ACCOUNT_KEY', 'HOME']) {
      expect(suggestResticEnvName(name), name).toBeUndefined();
    }
    expect(diagnoseRepo(repo({ env: ['RESTIC_REST_USERNAME=backup', 'AWS_ACCESS_KEY_ID=x'] }), {})).toEqual([]);
  });
  it('a RESTIC_ name restic does not know at all is reported without a guess', () => {
    const items = diagnoseRepo(repo({ env: ['RESTIC_SOMETHING_ELSE=1'] }), {}, 'en');
    expect(codes(items)).toEqual(['env-unknown-restic']);
    expect(items[0]?.message).toContain('RESTIC_SOMETHING_ELSE');
  });
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('credentials in the URI and in env', () => {
  it('warns that the URI ones win', () => {
    const items = diagnoseRepo(repo({ uri: 'rest:https://backup:pw@nas/financeiro', env: ['RESTIC_REST_USERNAME=other'] }), {}, 'en');
    expect(codes(items)).toEqual(['credentials-twice']);
    expect(items[0]?.action).toMatch(/address win/);
    expect(JSON.stringify(items)).not.toContain('pw@');
  });
  it('is quiet with only one of them', () => {
    expect(diagnoseRepo(repo({ uri: 'rest:https://backup:pw@nas/financeiro' }), {})).toEqual([]);
    expect(diagnoseRepo(repo({ env: ['RESTIC_REST_USERNAME=backup', 'RESTIC_REST_PASSWORD=pw'] }), {})).toEqual([]);
  });
});

describe('${VAR} in the URI and flags that cannot be split', () => {
  it('a URI variable that is not set is an error', () => {
    const items = diagnoseRepo(repo({ uri: 'rest:https://${BACKUP_HOST}/financeiro' }), {}, 'pt-BR');
    expect(items).toMatchObject([{ code: 'uri-variable-missing', severity: 'error', field: 'repos[financeiro].uri' }]);
    expect(items[0]?.message).toContain('BACKUP_HOST');
    expect(diagnoseRepo(repo({ uri: 'rest:https://${BACKUP_HOST}/financeiro' }), { BACKUP_HOST: 'nas' })).toEqual([]);
  });
  it('an unclosed quote in repo flags or plan backup_flags is an error naming the field', () => {
    const items = diagnoseConfig(
      config([repo({ flags: ['--limit-upload 4096', '-o "sftp.command=ssh'] })], [{ id: 'docs', repo: 'financeiro', paths: ['/x'], backup_flags: ["--exclude '*.csv"] }]),
      {},
      'en',
    );
    expect(items.map((d) => [d.code, d.severity, d.field])).toEqual([
      ['flag-unparsable', 'error', 'repos[financeiro].flags[1]'],
      ['flag-unparsable', 'error', 'plans[docs].backup_flags[0]'],
    ]);
  });
});

describe('the process environment (Backrest issue 1139)', () => {
  it('RESTIC_PASSWORD, _FILE or _COMMAND set for every program while a repo has its own password', () => {
    for (const name of ['RESTIC_PASSWORD', 'RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND']) {
      const items = diagnoseConfig(config([repo({ password: 'repo-pw' })]), { [name]: 'x' }, 'en');
      expect(items.map((d) => d.code), name).toEqual(['process-password']);
      expect(items[0]?.message).toContain(name);
      expect(items[0]?.message).toContain('financeiro');
      expect(items[0]?.action).toMatch(/1139/);
      expect(JSON.stringify(items)).not.toContain('repo-pw');
    }
  });
  it('is quiet when no repository has its own password or nothing is set', () => {
    expect(diagnoseConfig(config([repo()]), { RESTIC_PASSWORD: 'x' })).toEqual([]);
    expect(diagnoseConfig(config([repo({ password: 'pw' })]), { PATH: '/usr/bin' })).toEqual([]);
  });
  it('REST credentials set for every program are not what Cofre gives restic; REST_RESTIC_* are never read', () => {
    const items = diagnoseConfig(config([repo()]), { RESTIC_REST_USERNAME: 'backup', REST_RESTIC_PASSWORD: 'x' }, 'pt-BR');
    expect(codes(items).sort()).toEqual(['env-not-read', 'process-env-ignored']);
    expect(items.find((d) => d.code === 'env-not-read')?.action).toContain('RESTIC_REST_PASSWORD');
  });
});
