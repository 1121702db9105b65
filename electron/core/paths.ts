// Where every face (tray, CLI, `cofre serve`) finds its files: flags, then COFRE_* variables,
// then the platform paths of ARCHITECTURE.md.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CofrePaths {
  configPath: string;
  policyPath: string;
  dataDir: string;
  cacheDir: string;
}

export function defaultPaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): CofrePaths {
  const home = homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    const programData = env.ProgramData ?? 'C:\\ProgramData';
    return {
      configPath: join(appData, 'Cofre', 'config.json'),
      policyPath: join(programData, 'Cofre', 'policy.json'),
      dataDir: join(appData, 'Cofre'),
      cacheDir: join(localAppData, 'Cofre', 'cache'),
    };
  }
  const configHome = env.XDG_CONFIG_HOME ?? join(home, platform === 'darwin' ? 'Library/Application Support' : '.config');
  const dataHome = env.XDG_DATA_HOME ?? (platform === 'darwin' ? join(home, 'Library/Application Support') : join(home, '.local', 'share'));
  const cacheHome = env.XDG_CACHE_HOME ?? (platform === 'darwin' ? join(home, 'Library/Caches') : join(home, '.cache'));
  return {
    configPath: join(configHome, 'cofre', 'config.json'),
    policyPath: platform === 'darwin' ? '/Library/Application Support/Cofre/policy.json' : '/etc/cofre/policy.json',
    dataDir: join(dataHome, 'cofre'),
    cacheDir: join(cacheHome, 'cofre'),
  };
}

/** A data dir given explicitly holds everything (config, secrets, history, cache) unless overridden. */
export function resolvePaths(flags: { config?: string; policy?: string; dataDir?: string }, env: NodeJS.ProcessEnv = process.env): CofrePaths {
  const base = defaultPaths(env);
  const dataDir = flags.dataDir ?? env.COFRE_DATA_DIR;
  const fromData = dataDir
    ? { configPath: join(dataDir, 'config.json'), dataDir, cacheDir: join(dataDir, 'cache') }
    : { configPath: base.configPath, dataDir: base.dataDir, cacheDir: base.cacheDir };
  return {
    ...fromData,
    configPath: flags.config ?? env.COFRE_CONFIG ?? fromData.configPath,
    policyPath: flags.policy ?? env.COFRE_POLICY ?? base.policyPath,
  };
}
