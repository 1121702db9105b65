// Open-file protection: on Windows, restic `--use-fs-snapshot` reads files from a VSS snapshot, so
// an open Outlook .pst or spreadsheet is backed up whole. Needs administrator rights, hence the
// service. Backrest-compatible: the option is nothing but this flag in the plan's `backup_flags`,
// which Backrest passes to restic too. restic on Linux/FreeBSD does not know the flag ("unknown
// flag"), so it is left out there instead of failing every backup.
export const openFilesFlag = '--use-fs-snapshot';

export function hasOpenFileProtection(flags: readonly string[] | undefined): boolean {
  return (flags ?? []).some((flag) => flag.trim() === openFilesFlag);
}

/** The plan's backup_flags with the option switched on or off (other flags kept in order). */
export function withOpenFileProtection(flags: readonly string[] | undefined, on: boolean): string[] {
  const others = (flags ?? []).filter((flag) => flag.trim() !== openFilesFlag);
  return on ? [...others, openFilesFlag] : others;
}

/** Whether this system can honour the option. */
export function openFileProtectionAvailable(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32';
}

/** The flags handed to restic on this system. */
export function backupFlagsFor(flags: readonly string[] | undefined, platform: NodeJS.Platform = process.platform): string[] {
  return openFileProtectionAvailable(platform) ? [...(flags ?? [])] : withOpenFileProtection(flags, false);
}
