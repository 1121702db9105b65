import { describe, expect, it } from 'vitest';
import { backupArgs, buildInvocation, forgetArgs, retentionToFlags } from './args.js';
import { capabilitiesFor, parseVersion } from './version.js';
import type { RepoTarget } from './types.js';

const v14 = capabilitiesFor(parseVersion('restic 0.14.0'));
const v18 = capabilitiesFor(parseVersion('restic 0.18.0'));

const repo: RepoTarget = {
  id: 'financeiro',
  uri: 'rest:https://backup.example/financeiro/',
  password: 'repo-pass-123',
  env: { AWS_SECRET: 'env-secret-value' },
  flags: ['--limit-upload=1000'],
  restUsername: 'maria silva',
  restPassword: 'p@ss:w/rd',
};

describe('buildInvocation', () => {
  it('never puts a secret in argv', () => {
    for (const caps of [v14, v18]) {
      const inv = buildInvocation(repo, caps, ['snapshots', '--json'], { baseEnv: {} });
      const argv = inv.args.join(' ');
      for (const secret of [repo.password, repo.restPassword!, 'env-secret-value', encodeURIComponent(repo.restPassword!)]) {
        expect(argv).not.toContain(secret);
      }
      expect(inv.env.RESTIC_PASSWORD).toBe('repo-pass-123');
      expect(inv.secrets).toEqual(expect.arrayContaining(['repo-pass-123', 'p@ss:w/rd', 'env-secret-value']));
    }
  });

  it('gives REST credentials through the environment from 0.16.1', () => {
    const inv = buildInvocation(repo, v18, ['snapshots'], { baseEnv: {} });
    expect(inv.env.RESTIC_REPOSITORY).toBe('rest:https://backup.example/financeiro/');
    expect(inv.env.RESTIC_REST_USERNAME).toBe('maria silva');
    expect(inv.env.RESTIC_REST_PASSWORD).toBe('p@ss:w/rd');
  });

  it('puts REST credentials URL-encoded into the URI for older restic', () => {
    const inv = buildInvocation(repo, v14, ['snapshots'], { baseEnv: {} });
    expect(inv.env.RESTIC_REPOSITORY).toBe('rest:https://maria%20silva:p%40ss%3Aw%2Frd@backup.example/financeiro/');
    expect(inv.env.RESTIC_REST_USERNAME).toBeUndefined();
  });

  it('passes the CA file, extra global flags, env and cache folder', () => {
    const inv = buildInvocation({ ...repo, caCertFile: '/etc/cofre/ca.pem' }, v18, ['backup', '--json', '/home'], { baseEnv: {}, cacheDir: '/var/cache/cofre' });
    expect(inv.args).toEqual(['--cacert', '/etc/cofre/ca.pem', '--limit-upload=1000', 'backup', '--json', '/home']);
    expect(inv.env.AWS_SECRET).toBe('env-secret-value');
    expect(inv.env.RESTIC_CACHE_DIR).toBe('/var/cache/cofre');
    expect(inv.env.RESTIC_PROGRESS_FPS).toBeDefined();
  });

  it("ignores the parent's RESTIC_* variables but keeps the rest", () => {
    const inv = buildInvocation(repo, v18, ['snapshots'], { baseEnv: { RESTIC_PASSWORD_FILE: '/x', PATH: '/usr/bin', HOME: '/root' } });
    expect(inv.env.RESTIC_PASSWORD_FILE).toBeUndefined();
    expect(inv.env.PATH).toBe('/usr/bin');
    expect(inv.env.RESTIC_PROGRESS_FPS).toBeUndefined();
  });
});

describe('backupArgs', () => {
  it('builds the Backrest command line', () => {
    expect(
      backupArgs({ planId: 'docs', instance: 'pc-01', paths: ['/home/ana'], excludes: ['*.tmp'], iexcludes: ['*.MP4'], host: 'pc-01', extraFlags: ['--one-file-system'] }, v14),
    ).toEqual([
      'backup', '--json', '--exclude-caches', '--tag', 'plan:docs', '--tag', 'created-by:pc-01',
      '--exclude=*.tmp', '--iexclude=*.MP4', '--host=pc-01', '--one-file-system', '/home/ana',
    ]);
  });
  it('asks to skip unchanged backups only where restic supports it', () => {
    const req = { planId: 'p', instance: 'i', paths: ['/a'], skipIfUnchanged: true };
    expect(backupArgs(req, v18)).toContain('--skip-if-unchanged');
    expect(backupArgs(req, v14)).not.toContain('--skip-if-unchanged');
  });
  it('separates paths that look like flags with --', () => {
    const args = backupArgs({ planId: 'p', instance: 'i', paths: ['/a', '-r'] }, v18);
    expect(args.slice(-3)).toEqual(['--', '/a', '-r']);
  });
});

describe('retentionToFlags', () => {
  it('maps Backrest policies to keep flags', () => {
    expect(retentionToFlags({ policyKeepLastN: 7 })).toEqual({ keepLast: 7 });
    expect(retentionToFlags({ policyTimeBucketed: { daily: 7, weekly: 4, monthly: 12, yearly: 0, keepLastN: 2 } })).toEqual({
      keepLast: 2, keepDaily: 7, keepWeekly: 4, keepMonthly: 12,
    });
  });
  it('keeps everything when nothing limits it', () => {
    expect(retentionToFlags(undefined)).toBe('keep-all');
    expect(retentionToFlags({ policyKeepAll: true })).toBe('keep-all');
    expect(retentionToFlags({ policyTimeBucketed: {} })).toBe('keep-all');
    expect(retentionToFlags({ policyKeepLastN: 0 })).toBe('keep-all');
  });
  it('forgets per plan like Backrest', () => {
    expect(forgetArgs({ planId: 'docs', instance: 'pc', retention: { keepLast: 3, keepDaily: 2 } })).toEqual([
      'forget', '--json', '--tag', 'plan:docs,created-by:pc', '--group-by', '', '--keep-last', '3', '--keep-daily', '2',
    ]);
  });
});

describe('backup_flags are shell words, as in Backrest', () => {
  it('splits "--exclude *.csv" into two arguments and keeps quoted spaces', () => {
    const args = backupArgs({ planId: 'p', instance: 'i', paths: ['/a'], extraFlags: ['--exclude *.csv', `--exclude "Meus Documentos/tmp"`, '--limit-upload 4096'] }, v18);
    expect(args.slice(-7)).toEqual(['--exclude', '*.csv', '--exclude', 'Meus Documentos/tmp', '--limit-upload', '4096', '/a']);
  });
  it('does not expand ${VAR} in backup_flags (Backrest does not either)', () => {
    const args = backupArgs({ planId: 'p', instance: 'i', paths: ['/a'], extraFlags: ['--tag ${HOME}'] }, v18);
    expect(args).toContain('${HOME}');
  });
  it('gives restic no positional path when the sources come from --files-from', () => {
    const args = backupArgs({ planId: 'p', instance: 'i', paths: [], extraFlags: ['--files-from /etc/cofre/lista.txt'] }, v18);
    expect(args.slice(-2)).toEqual(['--files-from', '/etc/cofre/lista.txt']);
  });
});
