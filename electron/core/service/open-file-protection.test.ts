import { describe, expect, it } from 'vitest';
import type { Config } from '../config/backrest-schema.js';
import { diagnoseConfig } from '../config/diagnostics.js';
import { backupFlagsFor, hasOpenFileProtection, openFileProtectionAvailable, openFilesFlag, withOpenFileProtection } from './open-file-protection.js';

describe('open-file protection (restic --use-fs-snapshot through Backrest backup_flags)', () => {
  it('is just the flag in the plan\'s backup_flags, other flags kept', () => {
    expect(withOpenFileProtection(['--one-file-system'], true)).toEqual(['--one-file-system', openFilesFlag]);
    expect(withOpenFileProtection(['--one-file-system', openFilesFlag], true)).toEqual(['--one-file-system', openFilesFlag]);
    expect(withOpenFileProtection([openFilesFlag, '--exclude-caches'], false)).toEqual(['--exclude-caches']);
    expect(hasOpenFileProtection([' --use-fs-snapshot '])).toBe(true);
    expect(hasOpenFileProtection(undefined)).toBe(false);
  });

  it('reaches restic on Windows and is left out on Linux and FreeBSD, where restic does not know it', () => {
    const flags = ['--one-file-system', openFilesFlag];
    expect(backupFlagsFor(flags, 'win32')).toEqual(flags);
    expect(backupFlagsFor(flags, 'linux')).toEqual(['--one-file-system']);
    expect(backupFlagsFor(flags, 'freebsd')).toEqual(['--one-file-system']);
    expect(openFileProtectionAvailable('linux')).toBe(false);
    expect(openFileProtectionAvailable('win32')).toBe(true);
  });
});

describe('the config check tells the technician where the option does nothing', () => {
  const config = (flags: string[]) => ({
    version: 4, instance: 'pc-01', modno: 0,
    repos: [{ id: 'rh', uri: 'rest:https://backup.example/rh', env: [], flags: [] }],
    plans: [{ id: 'outlook', repo: 'rh', paths: ['/home/ana'], backup_flags: flags }],
  }) as unknown as Config;

  it.skipIf(process.platform === 'win32')('warns on Linux for a plan asking for open-file protection, in Portuguese', () => {
    const items = diagnoseConfig(config([openFilesFlag]), {}, 'pt-BR').filter((d) => d.code === 'open-files-unavailable');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ severity: 'warning', planId: 'outlook', field: 'plans[outlook].backup_flags' });
    expect(items[0]!.message).toContain('só existe no Windows');
    expect(diagnoseConfig(config(['--one-file-system']), {}, 'pt-BR').some((d) => d.code === 'open-files-unavailable')).toBe(false);
  });
});
