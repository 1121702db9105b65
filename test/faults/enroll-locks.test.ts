// The enrollment wizard lets the person change the folders and how long backups are kept, except
// what the machine policy locks: the agent refuses a locked change itself (the wizard only shows
// it read-only), before it contacts the server or writes anything.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';

let dir: string;
let agent: Agent;
const itRetention = { policyTimeBucketed: { daily: 10, monthly: 6 } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-enroll-locks-'));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({
    locked: ['plans.documentos.retention'],
    enrollment: { uriTemplate: 'rest:http://127.0.0.1:1/{hostname}', planId: 'documentos', paths: ['{home}/Documentos'], retention: itRetention },
  }));
  agent = await Agent.create({
    configPath: join(dir, 'config.json'), policyPath: join(dir, 'policy.json'), dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
    locale: 'en', homeDir: join(dir, 'home'), hostname: 'pc-rh-03', secrets: new FileSecretStore(join(dir, 'data', 'secrets.json')),
  });
});
afterAll(async () => {
  await agent.shutdown(5_000);
  rmSync(dir, { recursive: true, force: true });
});

describe('enrolling under a policy that locks the retention', () => {
  it('tells the wizard what IT prepared ({home} expanded, the retention)', async () => {
    const info = await agent.call('getAppInfo', {}, agent.createSession());
    expect(info.ok && info.value.enrollmentDefaults).toEqual({ planId: 'documentos', paths: [join(dir, 'home', 'Documentos')], retention: itRetention });
  });

  it('refuses another retention, saving nothing', async () => {
    const out = await agent.call('enroll', { password: 'senha-qualquer-1', retention: { policyTimeBucketed: { daily: 30 } } }, agent.createSession());
    expect(out).toMatchObject({ ok: false, error: { code: 'error.lockedByPolicy' } });
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});
