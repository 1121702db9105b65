// getAppInfo says which agent answers (issue 13): the UI shows "Protegido pelo serviço Cofre deste
// computador" only when the machine's service keeps the backups, never for this user's own agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, type AgentRunMode } from '../api.js';
import { FileSecretStore } from '../secrets/index.js';
import { Agent } from './agent.js';

const dir = mkdtempSync(join(tmpdir(), 'cofre-agent-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function appInfoOf(runMode: AgentRunMode | undefined, name: string): Promise<Record<string, unknown>> {
  const base = join(dir, name);
  const agent = await Agent.create({
    configPath: join(base, 'config.json'), policyPath: null, dataDir: join(base, 'data'), cacheDir: join(base, 'cache'),
    secrets: new FileSecretStore(join(base, 'secrets.json')), locale: 'en', resticBinary: join(base, 'no-restic'),
    ...(runMode ? { runMode } : {}),
  });
  try {
    const info = await agent.call('getAppInfo', {}, agent.createSession());
    if (!info.ok) throw new Error(info.error.message);
    return info.value;
  } finally {
    await agent.shutdown(5_000);
  }
}

const agentModeOf = async (runMode: AgentRunMode | undefined, name: string) => (await appInfoOf(runMode, name)).agentMode;

describe('getAppInfo.agentMode', () => {
  it('is in-process for an agent inside the tray or CLI (no mode given)', async () => {
    expect(await agentModeOf(undefined, 'default')).toBe('in-process');
  });

  it('names the mode the agent was started in: the machine service or cofre serve', async () => {
    expect(await agentModeOf('service', 'service')).toBe('service');
    expect(await agentModeOf('serve', 'serve')).toBe('serve');
  });

  it('a service started before an upgrade answers without it: the tray still accepts its getAppInfo', async () => {
    const { agentMode, ...older } = await appInfoOf('service', 'older');
    expect(agentMode).toBe('service');
    expect(api.getAppInfo.output.safeParse(older).success).toBe(true);
  });
});
