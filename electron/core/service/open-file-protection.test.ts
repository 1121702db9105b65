import { describe, expect, it } from 'vitest';
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
