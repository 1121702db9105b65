// Regression tests (issue 15): over `cofre serve` a header-less client shared one default session
// (so once one logged in as technician, every header-less client was one), and an authenticated
// 5.6 MB request with 480k unknown keys burnt seconds of CPU and got a 27 MB error back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { maxReportedProblems, startServer, type RunningServer } from '../../electron/server/server.js';
import { recordFigure } from '../support/figures.js';

const technicianPassword = 'tecnico-http-2026';
let dir: string;
let agent: Agent;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-http-hard-'));
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify({ technicianPasswordHash: await hashTechnicianPassword(technicianPassword, { N: 2 ** 12, r: 8, p: 1 }) }));
  agent = await Agent.create({
    configPath: join(dir, 'config.json'), policyPath, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
    secrets: new FileSecretStore(join(dir, 'secrets.json')), locale: 'en',
  });
  server = await startServer({ host: agent, createSession: () => agent.createSession() });
});
afterAll(async () => {
  await server?.close();
  await agent?.shutdown(5_000);
  rmSync(dir, { recursive: true, force: true });
});

function post(method: string, body: string, session?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${server.token}`, host: `127.0.0.1:${server.port}`, 'content-type': 'application/json' };
    if (session !== undefined) headers['x-cofre-session'] = session;
    const req = request({ host: '127.0.0.1', port: server.port, path: `/api/${method}`, method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const technician = async (session?: string) => (JSON.parse((await post('getAppInfo', '{}', session)).body) as { value: { technician: boolean } }).value.technician;

describe('sessions over HTTP', () => {
  it('a header-less client cannot log in as technician, and never inherits a tab\'s login', async () => {
    const refused = await post('technicianLogin', JSON.stringify({ password: technicianPassword }));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'server.sessionRequired' } });

    const tab = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    expect((await post('technicianLogin', JSON.stringify({ password: technicianPassword }), tab)).status).toBe(200);
    expect(await technician(tab)).toBe(true);
    expect(await technician()).toBe(false);
    expect(await technician('short')).toBe(false); // an invalid id is no session, not a shared one
    expect(await technician('b1b2c3d4e5f60718293a4b5c6d7e8f90')).toBe(false);
    expect((await post('technicianLogin', JSON.stringify({ password: technicianPassword }), 'short')).status).toBe(400);
    recordFigure('hardening', { name: 'HTTP sessions: header-less / invalid id never technician', kind: 'scope', tried: 4, held: 4 });
  });
});

describe('work and reply size per request', () => {
  it('480k unknown keys are refused fast with a small reply', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 480_000; i += 1) keys.push(`"k${i}":1`);
    const body = `{${keys.join(',')}}`;
    expect(body.length).toBeGreaterThan(5_000_000);
    const started = process.cpuUsage();
    const reply = await post('getStatus', body, 'c1b2c3d4e5f60718293a4b5c6d7e8f90');
    const cpu = process.cpuUsage(started);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    expect(reply.status).toBe(413);
    expect(reply.body.length).toBeLessThan(2_000);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'server.tooComplex' } });
    expect(cpuMs).toBeLessThan(1_000);
    recordFigure('hardening', { name: 'HTTP: 5.6 MB / 480k keys request: reply bytes, CPU ms', kind: 'fault', tried: 1, held: 1, replyBytes: reply.body.length, cpuMs: Math.round(cpuMs) });
  });

  it('an input with thousands of problems reports the first ones and counts the rest', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5_000; i += 1) keys.push(`"k${i}":1`);
    const reply = await post('getStatus', `{${keys.join(',')}}`, 'c1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(reply.status).toBe(400);
    const { error } = JSON.parse(reply.body) as { error: { code: string; fields: Array<{ path: string; message: string }> } };
    expect(error.code).toBe('error.invalidInput');
    expect(error.fields.length).toBeLessThanOrEqual(maxReportedProblems + 1);
    expect(error.fields.at(-1)!.message).toMatch(/and [\d,.]+ more problems/);
    expect(reply.body.length).toBeLessThan(20_000);
  });
});
