// The headless HTTP face in front of a real agent: token, Host check, loopback binding, security
// headers, and resilience to garbage (every malformed request gets a 4xx, the agent keeps answering).
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { apiMethods } from '../../electron/core/api.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { startServer, type RunningServer } from '../../electron/server/server.js';
import { makeTempDir, removeDir, resticBinary } from '../fixtures/index.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: RunningServer, options: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: options.path, method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('cofre serve: the HTTP face', () => {
  let dir: string;
  let agent: Agent;
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    dir = await makeTempDir('http-face');
    agent = await Agent.create({
      configPath: join(dir, 'config.json'),
      policyPath: null,
      dataDir: dir,
      cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(),
      resticBinary: resticBinary('0.18').bin,
      locale: 'en',
    });
    server = await startServer({ host: agent, session: agent.createSession(), createSession: () => agent.createSession() });
    auth = { authorization: `Bearer ${server.token}`, host: `127.0.0.1:${server.port}`, 'content-type': 'application/json' };
  });

  afterAll(async () => {
    await server.close();
    await agent.shutdown(5_000);
    await removeDir(dir);
  });

  it('listens on loopback only and prints the token in the URL fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.openUrl).toBe(`${server.url}#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a well-formed call with the contract result and strict security headers', async () => {
    const reply = await send(server, { path: '/api/getStatus', headers: auth, body: '{}' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { health: 'not-configured' } });
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(reply.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a missing or wrong token with 401', async () => {
    const { authorization: _token, ...noToken } = auth;
    expect((await send(server, { path: '/api/getStatus', headers: noToken, body: '{}' })).status).toBe(401);
    expect((await send(server, { path: '/api/getStatus', headers: { ...auth, authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
    expect((await send(server, { path: '/api/events', method: 'GET', headers: noToken })).status).toBe(401);
  });

  it('refuses foreign Host headers with 403 (DNS rebinding)', async () => {
    const reply = await send(server, { path: '/api/getStatus', headers: { ...auth, host: `evil.example:${server.port}` }, body: '{}' });
    expect(reply.status).toBe(403);
    expect((await send(server, { path: '/', method: 'GET', headers: { host: 'attacker.test' } })).status).toBe(403);
  });

  it('rejects invalid input with a structured, translated error', async () => {
    const reply = await send(server, { path: '/api/runBackup', headers: auth, body: JSON.stringify({ planId: '../../etc' }) });
    expect(reply.status).toBe(400);
    const payload = JSON.parse(reply.body) as { ok: false; error: { code: string; message: string; fields: unknown[] } };
    expect(payload.error.code).toBe('error.invalidInput');
    expect(payload.error.message).toMatch(/Invalid input/);
    expect(payload.error.fields.length).toBeGreaterThan(0);
  });

  it('survives 1 MB of garbage and 10,000 malformed requests, then still answers', async () => {
    const garbage = Buffer.alloc(1024 * 1024, 0x7b);
    const big = await send(server, { path: '/api/getStatus', headers: auth, body: garbage });
    expect(big.status).toBe(400);
    const tooBig = await send(server, { path: '/api/importBackrest', headers: auth, body: Buffer.alloc(7 * 1024 * 1024, 0x20) });
    expect(tooBig.status).toBe(413);

    const shapes: Array<() => { path: string; method?: string; headers?: Record<string, string>; body?: string }> = [
      () => ({ path: `/api/${apiMethods[Math.floor(Math.random() * apiMethods.length)]}`, headers: auth, body: randomJunk() }),
      () => ({ path: `/api/${apiMethods[Math.floor(Math.random() * apiMethods.length)]}`, headers: auth, body: JSON.stringify(randomValue(3)) }),
      () => ({ path: '/api/doesNotExist', headers: auth, body: '{}' }),
      () => ({ path: '/api/getStatus', method: 'GET', headers: auth }),
      () => ({ path: '/api/getStatus', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' }),
      () => ({ path: '/api/restore', headers: auth, body: JSON.stringify({ snapshotId: 'zz', paths: ['../../etc/passwd'], destination: { kind: 'folder', path: 'C:relative' } }) }),
    ];
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 100; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, () => send(server, shapes[Math.floor(Math.random() * shapes.length)]!())));
      for (const reply of replies) {
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500) throw new Error(`5xx for a malformed request: ${reply.body}`);
      }
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);
    expect([...statuses.keys()].every((s) => (s >= 400 && s < 500) || s === 200)).toBe(true);
    const after = await send(server, { path: '/api/getAppInfo', headers: auth, body: '{}' });
    expect(after.status).toBe(200);
  });
});

function randomJunk(): string {
  const alphabet = '{}[]":,\\\u0000\u00e7\u00e3abc123 \n';
  return Array.from({ length: Math.floor(Math.random() * 200) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}

function randomValue(depth: number): unknown {
  const pick = Math.floor(Math.random() * (depth > 0 ? 9 : 6));
  switch (pick) {
    case 0: return null;
    case 1: return Math.random() > 0.5;
    case 2: return [0, -1, 1e308, Number.MAX_SAFE_INTEGER, 3.5][Math.floor(Math.random() * 5)];
    case 3: return ['', '..', '/etc/passwd', 'C:\\Windows', 'x'.repeat(5000), '--password=x', '\u0000', 'NUL', '* * * *'][Math.floor(Math.random() * 9)];
    case 4: return 'rest:javascript://x';
    case 5: return {};
    case 6: return Array.from({ length: 3 }, () => randomValue(depth - 1));
    default: {
      const keys = ['planId', 'snapshotId', 'paths', 'path', 'destination', 'config', 'modno', 'schedule', 'pattern', 'limit', 'until', 'password', '__proto__', 'constructor'];
      return Object.fromEntries(Array.from({ length: 3 }, () => [keys[Math.floor(Math.random() * keys.length)], randomValue(depth - 1)]));
    }
  }
}
