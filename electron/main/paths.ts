// Where the tray app keeps its state. The platform layout and the COFRE_DATA_DIR / COFRE_CONFIG /
// COFRE_POLICY overrides come from electron/core/paths.ts, shared with the CLI and `cofre serve`,
// so `cofre status --json` reads the same configuration and history as the tray. The tray adds
// its OS-encrypted secret file (a different format from the CLI's plain 0600 file, hence its own
// name) and the location of the bundled restic.
import path from 'node:path';
import { resolvePaths, type CofrePaths } from '../core/paths.js';

export interface DesktopPaths extends CofrePaths {
  /** Secrets encrypted by safeStorage (DPAPI, Keychain, libsecret), beside the config. */
  secretsPath: string;
}

export function desktopPaths(env: NodeJS.ProcessEnv): DesktopPaths {
  const paths = resolvePaths({}, env);
  return {
    ...paths,
    secretsPath: path.join(path.dirname(paths.configPath), 'secrets.encrypted.json'),
  };
}

/** The restic executable bundled by electron-builder's extraResources (see electron-builder.yml). */
export function bundledResticPath(resourcesPath: string, platform: NodeJS.Platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(resourcesPath, 'restic', platform === 'win32' ? 'restic.exe' : 'restic');
}
