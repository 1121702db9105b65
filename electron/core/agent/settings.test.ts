import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/fixtures/tmp.js';
import { configWith, planConfig, repoConfig, writeConfigFile } from '../../../test/support/agent-rig.js';
import { ConfigStore } from '../config/store.js';
import { MemorySecretStore, repoEnvKey, repoPasswordKey } from '../secrets/index.js';
import { AgentLog } from './log.js';
import { PolicyState } from './policy-state.js';
import { Settings } from './settings.js';

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('settings');
});
afterAll(async () => {
  await removeDir(dir);
});

/** A config with one plan whose schedule the machine policy locks. */
async function settingsWithLockedSchedule(name: string) {
  const configPath = join(dir, `${name}.json`);
  const policyPath = join(dir, `${name}-policy.json`);
  writeFileSync(policyPath, JSON.stringify({ locked: ['plans.docs.schedule'] }));
  await writeConfigFile(configPath, configWith([repoConfig({ id: 'main', uri: 'rest:http://127.0.0.1:1/pc' })], [planConfig('docs', 'main', ['/home/ana/Documentos'])]));
  const secrets = new MemorySecretStore();
  const store = new ConfigStore({ path: configPath, secrets, hostname: 'pc' });
  await store.load();
  const log = new AgentLog({ file: join(dir, `${name}.log`) });
  const policy = await PolicyState.load(policyPath, log);
  let announced = 0;
  const settings = new Settings({ store, policy, secrets, hostname: 'pc', loadProblem: null, onChanged: () => (announced += 1) });
  return { settings, secrets, configPath, announced: () => announced };
}

describe('settings: every save goes through one lock rule', () => {
  it('refuses to save a change to a locked setting, writes nothing and announces nothing', async () => {
    const { settings, configPath, announced } = await settingsWithLockedSchedule('locked');
    const before = readFileSync(configPath, 'utf8');
    const user = settings.user();
    const next = { ...user, plans: user.plans.map((p) => ({ ...p, schedule: { cron: '0 3 * * *', clock: 'CLOCK_LOCAL' as const } })) };
    await expect(settings.apply(next, user.modno)).rejects.toMatchObject({ code: 'error.lockedByPolicy' });
    expect(readFileSync(configPath, 'utf8')).toBe(before);
    expect(announced()).toBe(0);
  });

  it('saves an unlocked change, counts it (modno) and announces it once', async () => {
    const { settings, announced } = await settingsWithLockedSchedule('unlocked');
    const user = settings.user();
    const saved = await settings.apply({ ...user, plans: user.plans.map((p) => ({ ...p, excludes: ['*.tmp'] })) }, user.modno);
    expect(saved.modno).toBe(user.modno + 1);
    expect(settings.effective().plans[0]?.excludes).toEqual(['*.tmp']);
    expect(announced()).toBe(1);
  });

  it('lets a fact learned from the repository through, even where the user may not edit', async () => {
    const { settings } = await settingsWithLockedSchedule('fact');
    const user = settings.user();
    const next = { ...user, plans: user.plans.map((p) => ({ ...p, schedule: { cron: '0 3 * * *', clock: 'CLOCK_LOCAL' as const } })) };
    await expect(settings.apply(next, user.modno, { unlockedBecause: 'repository-fact' })).resolves.toMatchObject({ modno: user.modno + 1 });
  });

  it('sets typed secrets, deletes the ones emptied and leaves the ones not given', async () => {
    const { settings, secrets } = await settingsWithLockedSchedule('secrets');
    await secrets.set(repoPasswordKey('main'), 'antiga');
    await secrets.set(repoEnvKey('main', 'RESTIC_REST_PASSWORD'), 'servidor');
    await settings.setSecrets('main', { restUsername: 'ana', restPassword: '' });
    expect(await secrets.get(repoPasswordKey('main'))).toBe('antiga');
    expect(await secrets.get(repoEnvKey('main', 'RESTIC_REST_USERNAME'))).toBe('ana');
    expect(await secrets.get(repoEnvKey('main', 'RESTIC_REST_PASSWORD'))).toBeUndefined();
  });
});
