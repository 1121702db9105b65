// Issue 15: the Electron IPC path (agent.call) gets objects already built, so the HTTP face's byte
// pre-scan never sees them; the same budget must hold there, before any schema work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../secrets/index.js';
import { maxReportedProblems } from '../json-limits.js';
import { Agent } from './agent.js';

let dir: string;
let agent: Agent;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-request-budget-'));
  agent = await Agent.create({
    configPath: join(dir, 'config.json'), policyPath: null, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
    secrets: new MemorySecretStore(), locale: 'en',
  });
});
afterAll(async () => {
  await agent?.shutdown(5_000);
  rmSync(dir, { recursive: true, force: true });
});

describe('request budget on agent.call (the IPC path)', () => {
  it('a 5 MB object with 480k keys is refused quickly with a small translated error', async () => {
    const input: Record<string, string> = {};
    for (let i = 0; i < 480_000; i += 1) input[`k${i}`] = 'x';
    expect(JSON.stringify(input).length).toBeGreaterThan(5_000_000);
    const session = agent.createSession();
    const started = process.cpuUsage();
    const result = await agent.call('getStatus', input, session);
    const cpu = process.cpuUsage(started);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    expect(result).toMatchObject({ ok: false, error: { code: 'limits.tooManyValues', cause: 'invalid-input' } });
    expect(JSON.stringify(result).length).toBeLessThan(2_000);
    expect(cpuMs).toBeLessThan(1_000);
  });

  it('refuses a long string and deep nesting with their own message', async () => {
    const session = agent.createSession();
    const big = await agent.call('runBackup', { planId: 'x'.repeat(7_000_000) }, session);
    expect(big).toMatchObject({ ok: false, error: { code: 'limits.tooLarge' } });
    let deep: unknown = {};
    for (let i = 0; i < 1_000; i += 1) deep = { a: deep };
    expect(await agent.call('getStatus', deep, session)).toMatchObject({ ok: false, error: { code: 'limits.tooDeep' } });
  });

  it('an input under the budget with thousands of problems reports at most 20 of them', async () => {
    const input: Record<string, number> = {};
    for (let i = 0; i < 5_000; i += 1) input[`k${i}`] = 1;
    const result = await agent.call('getStatus', input, agent.createSession());
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : (result.error.fields ?? []);
    expect(fields).toHaveLength(maxReportedProblems);
    expect(fields.at(-1)!.message).toMatch(/and 4,?981 more problems/);
  });
});
