// Small real filesystems for fault tests (a full disk, a read-only destination). Mounting needs
// root with CAP_SYS_ADMIN; where that is missing the tests that need it are skipped, and say so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let probed: boolean | undefined;

/** True when this process may mount a tmpfs (probed once with a real mount). */
export function canMount(): boolean {
  if (probed !== undefined) return probed;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return (probed = false);
  const dir = mkdtempSync(join(tmpdir(), 'cofre-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    probed = true;
  } catch {
    probed = false;
  } finally {
    rmdirSync(dir);
  }
  return probed;
}

export function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
}

export function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir]);
}

/** Unmounts, lazily if something still holds the filesystem (never throws: cleanup path). */
export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
  }
}
