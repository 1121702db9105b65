// Regression tests (issue 15, "the policy is law on every path"): an end user could enroll an
// already-enrolled machine again and rewrite a locked plan; the technician login limit lived in
// memory, so a new process started from zero; an unknown session id could be elevated.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { defaultAttemptLimits } from '../../electron/core/policy/technician-attempts.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { configWith, planConfig, repoConfig, writeConfigFile } from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';

const technicianPassword = 'tecnico-lei-2026';
let dir: string;
let policyPath: string;
let configPath: string;
const held: string[] = [];

async function agentOn(dataDir: string, now?: () => Date): Promise<Agent> {
  return Agent.create({
    configPath, policyPath, dataDir, cacheDir: join(dir, 'cache'), locale: 'en', homeDir: join(dir, 'home'), hostname: 'pc-lei',
    secrets: new FileSecretStore(join(dataDir, 'secrets.json')), ...(now ? { clock: { now } } : {}),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-policy-law-'));
  policyPath = join(dir, 'policy.json');
  configPath = join(dir, 'config.json');
  writeFileSync(policyPath, JSON.stringify({
    technicianPasswordHash: await hashTechnicianPassword(technicianPassword, { N: 2 ** 12, r: 8, p: 1 }),
    locked: ['plans', 'repos'],
    enrollment: { uriTemplate: 'rest:http://127.0.0.1:1/{hostname}', repoId: 'cofre', planId: 'documentos', paths: ['{home}/Documentos'] },
  }));
  await writeConfigFile(configPath, configWith(
    [repoConfig({ id: 'cofre', uri: 'rest:http://127.0.0.1:1/pc-lei' })],
    [planConfig('documentos', 'cofre', [join(dir, 'home', 'Documentos')], { excludes: ['*.tmp'] })],
  ));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  recordFigure('hardening', { name: 'policy paths: enroll / login limit / sessions', kind: 'scope', tried: held.length, held: held.length });
});

describe('enroll of an enrolled machine', () => {
  it('needs a technician, and even then cannot rewrite a locked plan', async () => {
    const agent = await agentOn(join(dir, 'data-enroll'));
    try {
      const before = readFileSync(configPath, 'utf8');
      const user = await agent.call('enroll', { paths: ['/etc'] }, agent.createSession());
      expect(user).toMatchObject({ ok: false, error: { code: 'error.technicianRequired' } });
      const tech = agent.createSession();
      expect((await agent.call('technicianLogin', { password: technicianPassword }, tech)).ok).toBe(true);
      const locked = await agent.call('enroll', { paths: ['/etc'] }, tech);
      expect(locked).toMatchObject({ ok: false, error: { code: 'error.lockedByPolicy' } });
      expect(readFileSync(configPath, 'utf8')).toBe(before);
      const plan = (await agent.call('getConfig', {}, tech));
      expect(plan.ok && plan.value.config.plans[0]).toMatchObject({ id: 'documentos', excludes: ['*.tmp'] });
      held.push('enroll user', 'enroll locked');
    } finally {
      await agent.shutdown(5_000);
    }
  });
});

describe('technician login limit', () => {
  it('survives a restart: the machine lock set in one process holds in the next, then ends', async () => {
    const dataDir = join(dir, 'data-login');
    let now = new Date('2026-03-10T12:00:00Z').getTime();
    const clock = () => new Date(now);
    const first = await agentOn(dataDir, clock);
    try {
      for (let i = 0; i < defaultAttemptLimits.globalLimit; i += 1) {
        const result = await first.call('technicianLogin', { password: `wrong-${i}` }, first.createSession());
        expect(result).toMatchObject({ ok: false, error: { code: 'agent.technicianWrong' } });
      }
    } finally {
      await first.shutdown(5_000);
    }
    const second = await agentOn(dataDir, clock);
    try {
      const refused = await second.call('technicianLogin', { password: technicianPassword }, second.createSession());
      expect(refused).toMatchObject({ ok: false, error: { code: 'policy.technicianLockedOutMachine' } });
      expect(!refused.ok && refused.error.message).toMatch(/seconds left: \d+/);
      now += defaultAttemptLimits.globalWindowMs;
      expect((await second.call('technicianLogin', { password: technicianPassword }, second.createSession())).ok).toBe(true);
      const log = readFileSync(join(dataDir, 'logs', 'cofre.log'), 'utf8');
      expect(log).not.toContain(technicianPassword);
      expect(log).not.toContain('wrong-3');
      held.push('login persisted', 'login bounded');
    } finally {
      await second.shutdown(5_000);
    }
  });

  it('a session the agent never created cannot become technician', async () => {
    const agent = await agentOn(join(dir, 'data-unknown'));
    try {
      const result = await agent.call('technicianLogin', { password: technicianPassword }, { id: 'made-up-id' });
      expect(result).toMatchObject({ ok: false, error: { code: 'agent.unknownSession' } });
      expect(agent.isTechnician({ id: 'made-up-id' })).toBe(false);
      held.push('unknown session');
    } finally {
      await agent.shutdown(5_000);
    }
  });
});
