// Issue 13, "and says which it uses": the tray asks whichever agent it got for getAppInfo. With the
// machine's service running (the real `cofre service run` on a socket) the answer comes from the
// service and says 'service'; without one the tray's own agent says 'in-process'. The window shows
// "Protegido pelo serviço Cofre deste computador" or "Cofre funcionando na sua sessão de usuário" from it.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { openDesktopAgent, type DesktopAgent } from '../../electron/core/service/desktop-agent.js';
import { makeTempDir, removeDir, repoRoot, resticBinary } from '../fixtures/index.js';
import { spawnServer, type ServerProcess } from '../fixtures/process.js';

const canRunService = process.platform === 'linux' && process.getuid?.() === 0;

async function agentModeVia(agent: DesktopAgent): Promise<string | undefined> {
  const info = await agent.call('getAppInfo', {}, agent.createSession());
  if (!info.ok) throw new Error(info.error.message);
  return info.value.agentMode;
}

describe('the tray says which agent it uses', () => {
  let dir: string;
  let socket: string;
  let service: ServerProcess | undefined;

  beforeAll(async () => {
    dir = await makeTempDir('cofre-agent-mode-');
    socket = join(dir, 'run', 'agent.sock');
  });
  afterAll(async () => {
    if (service?.isRunning()) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await removeDir(dir);
  });

  const ownAgent = (name: string) => async () => {
    const base = join(dir, name);
    await mkdir(base, { recursive: true });
    return Agent.create({ configPath: join(base, 'config.json'), policyPath: null, dataDir: join(base, 'data'), cacheDir: join(base, 'cache'), secrets: new FileSecretStore(join(base, 'secrets.json')), locale: 'en', resticBinary: resticBinary('0.18').bin });
  };

  it('without a service: its own agent, which says in-process', async () => {
    const agent = await openDesktopAgent(ownAgent('own'), { COFRE_SERVICE_SOCKET: join(dir, 'no-such.sock') });
    try {
      expect(agent.connection).toBe('in-process');
      expect(await agentModeVia(agent)).toBe('in-process');
    } finally {
      await agent.shutdown(5_000);
    }
  });

  it.runIf(canRunService)('with the machine service running: the service answers, and says service', async () => {
    service = spawnServer(process.execPath, [join(repoRoot, 'bin', 'cofre.mjs'), 'service', 'run', '--socket', socket, '--restic', resticBinary('0.18').bin], {
      env: { ...process.env, COFRE_SERVICE_ROOT: join(dir, 'machine'), LANG: 'en_US.UTF-8' },
      exitSignal: 'SIGTERM',
    });
    for (let i = 0; i < 600 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(socket)) throw new Error(`service did not start:\n${service.log()}`);
    let ownCreated = false;
    const agent = await openDesktopAgent(async () => ((ownCreated = true), ownAgent('unused')()), { COFRE_SERVICE_SOCKET: socket, COFRE_SERVICE: 'required' });
    try {
      expect(agent.connection).toBe('service');
      expect(ownCreated).toBe(false);
      expect(await agentModeVia(agent)).toBe('service');
    } finally {
      await agent.shutdown(5_000);
    }
  }, 120_000);
});
