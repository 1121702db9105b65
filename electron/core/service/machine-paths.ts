// Where the service keeps its state: machine-wide locations instead of one user's profile.
// Linux: /etc/cofre (config, policy), /var/lib/cofre (history, secrets), /var/cache/cofre (index),
// /var/log/cofre (logs), /run/cofre (socket, per-user tokens). Windows: %ProgramData%\Cofre\...
// Everything moves under one folder with COFRE_SERVICE_ROOT (tests, chroot-like installs).
import { join, posix, win32 } from 'node:path';
import type { CofrePaths } from '../paths.js';

export interface MachinePaths extends CofrePaths {
  secretsFile: string;
  logDir: string;
  /** The local endpoint: a Unix socket (Linux, FreeBSD) or a named pipe (Windows). */
  socketPath: string;
}

export function machinePaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): MachinePaths {
  const root = env.COFRE_SERVICE_ROOT;
  if (platform === 'win32') {
    const base = root ?? win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Cofre');
    return {
      configPath: win32.join(base, 'config.json'),
      policyPath: win32.join(base, 'policy.json'),
      dataDir: win32.join(base, 'data'),
      cacheDir: win32.join(base, 'cache'),
      secretsFile: win32.join(base, 'data', 'secrets.json'),
      logDir: win32.join(base, 'logs'),
      socketPath: '\\\\.\\pipe\\cofre-agent',
    };
  }
  const at = (path: string) => (root ? join(root, path) : path);
  return {
    configPath: at('/etc/cofre/config.json'),
    policyPath: at('/etc/cofre/policy.json'),
    dataDir: at('/var/lib/cofre'),
    cacheDir: at('/var/cache/cofre'),
    secretsFile: at('/var/lib/cofre/secrets.json'),
    logDir: at('/var/log/cofre'),
    // FreeBSD has no /run: its runtime folder is /var/run.
    socketPath: at(platform === 'freebsd' ? '/var/run/cofre/agent.sock' : '/run/cofre/agent.sock'),
  };
}

/** Per-user token files live beside the socket: `<socket dir>/users/<uid>/token`. */
export function tokenFileFor(socketPath: string, uid: number): string {
  return posix.join(posix.dirname(socketPath), 'users', String(uid), 'token');
}

export function usersDirFor(socketPath: string): string {
  return posix.join(posix.dirname(socketPath), 'users');
}
