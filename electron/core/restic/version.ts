// What this restic can do, decided once from `restic version`. Every version-dependent choice in
// the engine reads a Capabilities flag, never the version number, so the table lives here only.
import type { Capabilities, ResticVersion } from './types.js';

/** Parses `restic 0.18.0 compiled with go1.24.4 on linux/amd64` (also `restic 0.17.3-dev (compiled manually) ...`). */
export function parseVersion(output: string): ResticVersion {
  const match = /restic\s+v?(\d+)\.(\d+)\.(\d+)/i.exec(output);
  if (!match) throw new Error(`not a restic version line: ${output.slice(0, 120)}`);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return { version: `${major}.${minor}.${patch}`, major, minor, patch };
}

/** True when `v` is at least `major.minor.patch`. */
export function atLeast(v: ResticVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export function capabilitiesFor(v: ResticVersion): Capabilities {
  return {
    version: v,
    restCredentialsEnv: atLeast(v, 0, 16, 1),
    restoreJson: atLeast(v, 0, 16),
    restoreSubfolder: atLeast(v, 0, 16),
    retryLock: atLeast(v, 0, 16),
    skipIfUnchanged: atLeast(v, 0, 17),
    restoreOverwrite: atLeast(v, 0, 17),
    exitCodes10and11: atLeast(v, 0, 17),
    exitCode12: atLeast(v, 0, 17, 1),
    fullSnapshotIdInSummary: atLeast(v, 0, 15),
    checkJson: atLeast(v, 0, 18),
    // Verified with 0.14.0 and 0.18.0: both print the paths stored in the tree, which are absolute
    // when the backup was given absolute paths. The engine maps paths with the snapshot's `paths`
    // whatever the version (see ls-paths.ts), so this flag is informative only.
    lsAbsolutePaths: true,
  };
}
