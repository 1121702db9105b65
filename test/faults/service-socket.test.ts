// Hostile or broken clients of the service's socket (issue 13): oversized and malformed lines,
// guessed tokens, a technician login that must stay on its own connection. A real Agent behind
// the real socket face; the client side is raw bytes, as an attacker would send them.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { maxLineBytes } from '../../electron/core/service/protocol.js';
import { tokenFileFor } from '../../electron/core/service/machine-paths.js';
import { startSocketServer, type RunningSocketServer } from '../../electron/service/socket-server.js';
import { makeTempDir, removeDir } from '../fixtures/index.js';

interface Frame { id?: number; result?: { ok: boolean; error?: { code: string; message: string; detail?: string } } }

/** A raw connection: send lines, read reply frames, know when the service hung up. */
function rawClient(socketPath: string): Promise<{ send(line: string | Buffer): void; next(): Promise<Frame>; closed: Promise<void>; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const frames: Frame[] = [];
    const waiting: Array<(f: Frame) => void> = [];
    let buffer = '';
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let at;
      while ((at = buffer.indexOf('\n')) !== -1) {
        const frame = JSON.parse(buffer.slice(0, at)) as Frame;
        buffer = buffer.slice(at + 1);
        const w = waiting.shift();
        if (w) w(frame);
        else frames.push(frame);
      }
    });
    socket.once('connect', () => resolve({
      socket,
      closed,
      send: (line) => socket.write(typeof line === 'string' ? line + '\n' : line),
      next: () => (frames.length > 0 ? Promise.resolve(frames.shift()!) : new Promise((r) => waiting.push(r))),
    }));
    socket.once('error', reject);
  });
}

describe('the service socket under hostile clients', () => {
  let dir: string;
  let agent: Agent;
  let server: RunningSocketServer;
  let socketPath: string;
  const uid = process.getuid!();
  const me = { uid, gid: process.getgid!(), username: 'tecnica', homeDir: '/home/tecnica' };
  let token: string;

  beforeAll(async () => {
    dir = await makeTempDir('service-socket');
    const policyPath = join(dir, 'policy.json');
    await writeFile(policyPath, JSON.stringify({ technicianPasswordHash: await hashTechnicianPassword('Senha-Tecnica-1', { N: 1024, r: 8, p: 1 }) }));
    agent = await Agent.create({ configPath: join(dir, 'config.json'), policyPath, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'), secrets: new MemorySecretStore() });
    socketPath = join(dir, 'run', 'agent.sock');
    server = await startSocketServer({ host: agent, createSession: (owner) => agent.createSession({ owner }), socketPath, lookup: async (u) => (u === uid ? me : null), authTimeoutMs: 1_500, maxPerUser: 3 });
    await server.tokens.issue(uid);
    token = (await readFile(tokenFileFor(socketPath, uid), 'utf8')).trim();
  });

  afterAll(async () => {
    await server?.close();
    await agent?.shutdown(5_000);
    if (dir) await removeDir(dir);
  });

  it('answers bad JSON and bad frames with a translated error, without a stack, and keeps the connection', async () => {
    const client = await rawClient(socketPath);
    client.send('{not json');
    const bad = await client.next();
    expect(bad.result?.error?.code).toBe('error.invalidInput');
    client.send(JSON.stringify({ id: 'x', method: 42 }));
    expect((await client.next()).result?.error?.code).toBe('error.invalidInput');
    client.send(JSON.stringify({ id: 1, method: 'getStatus', input: {} }));
    const refused = await client.next();
    expect(refused).toMatchObject({ id: 1, result: { ok: false, error: { code: 'service.identityRequired' } } });
    expect(JSON.stringify([bad, refused])).not.toMatch(/\bat .*\.(ts|js):\d+/);
    client.socket.destroy();
  });

  it('refuses deep nesting and hangs up on a line longer than the limit; the next client is served', async () => {
    const deep = await rawClient(socketPath);
    deep.send(JSON.stringify({ id: 2, method: 'getStatus', input: {} }).replace('{}', '['.repeat(200) + ']'.repeat(200)));
    expect((await deep.next()).result?.error?.code).toBe('server.tooComplex');
    deep.socket.destroy();

    const flood = await rawClient(socketPath);
    flood.send(Buffer.alloc(maxLineBytes + 1024, 0x61));
    expect((await flood.next()).result?.error?.code).toBe('server.tooLarge');
    await flood.closed;

    const next = await rawClient(socketPath);
    next.send(JSON.stringify({ id: 3, method: 'service.auth', input: { uid, token } }));
    expect((await next.next()).result?.ok).toBe(true);
    next.socket.destroy();
  });

  it('hangs up after three guessed tokens', async () => {
    const guesser = await rawClient(socketPath);
    for (let i = 0; i < 3; i++) {
      guesser.send(JSON.stringify({ id: i, method: 'service.auth', input: { uid, token: randomBytes(32).toString('hex') } }));
      expect((await guesser.next()).result?.error?.code).toBe('service.identityRefused');
    }
    await guesser.closed;
  });

  it('closes a connection that never says who it is, and limits the connections of one user', async () => {
    const silent = await rawClient(socketPath);
    await silent.closed;
    const held = await Promise.all([0, 1, 2, 3].map(() => rawClient(socketPath)));
    const answers: Array<string | undefined> = [];
    for (const c of held) {
      c.send(JSON.stringify({ id: 1, method: 'service.auth', input: { uid, token } }));
      const reply = await c.next();
      answers.push(reply.result?.ok ? 'ok' : reply.result?.error?.code);
    }
    expect(answers).toEqual(['ok', 'ok', 'ok', 'service.busy']);
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    // The service notices the hang-ups too, so the next test's connections are not over the limit.
    for (let i = 0; i < 200 && server.connections() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  });

  it('a technician login elevates only its own connection, even for the same OS user', async () => {
    const [one, two] = await Promise.all([rawClient(socketPath), rawClient(socketPath)]);
    for (const c of [one, two]) {
      c.send(JSON.stringify({ id: 1, method: 'service.auth', input: { uid, token } }));
      expect((await c.next()).result?.ok).toBe(true);
    }
    one.send(JSON.stringify({ id: 2, method: 'getConfig', input: {} }));
    expect((await one.next()).result?.error?.code).toBe('error.technicianRequired');
    one.send(JSON.stringify({ id: 3, method: 'technicianLogin', input: { password: 'Senha-Tecnica-1' } }));
    expect((await one.next()).result?.ok).toBe(true);
    one.send(JSON.stringify({ id: 4, method: 'getConfig', input: {} }));
    expect((await one.next()).result?.ok).toBe(true);
    two.send(JSON.stringify({ id: 5, method: 'getConfig', input: {} }));
    expect((await two.next()).result?.error?.code).toBe('error.technicianRequired');
    one.socket.destroy();
    two.socket.destroy();
  });
});
