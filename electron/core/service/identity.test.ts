// Identity pieces of service mode: token files a user alone can read, passwd parsing, the line
// framing of the socket and the choice between the service and the in-process agent.
import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceSocketToUse } from './client.js';
import { openDesktopAgent } from './desktop-agent.js';
import { machinePaths, tokenFileFor } from './machine-paths.js';
import { parsePasswdLine } from './os-users.js';
import { readableBy, writableBy } from './owned-restore.js';
import { LineReader } from './protocol.js';
import { UserTokens } from './user-tokens.js';

const me = { uid: process.getuid!(), gid: process.getgid!(), username: 'me', homeDir: '/home/me' };

describe('per-user token files', () => {
  let dir: string;
  let tokens: UserTokens;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cofre-tokens-'));
    tokens = new UserTokens({ dir: join(dir, 'users'), lookup: async (uid) => (uid === me.uid ? me : null) });
    await tokens.reset();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a token only its user can read, and accepts it only for that uid', async () => {
    expect(await tokens.issue(me.uid)).toEqual(me);
    const file = join(dir, 'users', String(me.uid), 'token');
    const info = await lstat(file);
    expect(info.mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, 'users', String(me.uid)))).mode & 0o777).toBe(0o700);
    const token = (await readFile(file, 'utf8')).trim();
    expect(tokens.verify(me.uid, token)).toEqual(me);
    expect(tokens.verify(me.uid + 1, token)).toBeNull();
    expect(tokens.verify(me.uid, token.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBeNull();
    expect(tokens.verify(me.uid, 'not-hex')).toBeNull();
  });

  it('keeps the same token when asked again, and knows no unknown user', async () => {
    await tokens.issue(me.uid);
    const first = await readFile(join(dir, 'users', String(me.uid), 'token'), 'utf8');
    await tokens.issue(me.uid);
    expect(await readFile(join(dir, 'users', String(me.uid), 'token'), 'utf8')).toBe(first);
    expect(await tokens.issue(99_999)).toBeNull();
  });

  it('never writes through a link the user planted where the token goes', async () => {
    await tokens.issue(me.uid);
    const file = join(dir, 'users', String(me.uid), 'token');
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'do not touch\n');
    await rm(file);
    await symlink(victim, file);
    await tokens.issue(me.uid);
    expect(await readFile(victim, 'utf8')).toBe('do not touch\n');
    expect((await lstat(file)).isFile()).toBe(true);
  });
});

describe('OS users and permission checks', () => {
  it('reads getent passwd lines', () => {
    expect(parsePasswdLine('ana:x:1001:1001:Ana Souza,,,:/home/ana:/bin/bash\n')).toEqual({ username: 'ana', uid: 1001, gid: 1001, homeDir: '/home/ana' });
    expect(parsePasswdLine('broken:x:abc:1:x:/home/b:/bin/sh')).toBeNull();
    expect(parsePasswdLine('nohome:x:5:5:x:relative:/bin/sh')).toBeNull();
  });

  it('judges read and write like the kernel would for the user (primary group)', () => {
    const ana = { uid: 1001, gid: 1001 };
    const file = (uid: number, gid: number, mode: number, dir = false) => ({ uid, gid, mode, isDirectory: () => dir });
    expect(readableBy(file(0, 0, 0o600), ana)).toBe(false);
    expect(readableBy(file(0, 0, 0o644), ana)).toBe(true);
    expect(readableBy(file(1001, 1001, 0o600), ana)).toBe(true);
    expect(readableBy(file(0, 1001, 0o640), ana)).toBe(true);
    expect(readableBy(file(0, 0, 0o744, true), ana)).toBe(false);
    expect(writableBy(file(0, 0, 0o755), ana)).toBe(false);
    expect(writableBy(file(1001, 1001, 0o755), ana)).toBe(true);
    expect(writableBy(file(0, 0, 0o1777), ana)).toBe(true);
    expect(writableBy(file(0, 0, 0o755), { uid: 0, gid: 0 })).toBe(true);
  });
});

describe('socket framing and service choice', () => {
  it('splits lines across chunks and refuses a line over the limit', () => {
    const reader = new LineReader(10);
    expect(reader.push(Buffer.from('{"a"'))).toEqual([]);
    expect(reader.push(Buffer.from(':1}\n{"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(new LineReader(10).push(Buffer.from('x'.repeat(11)))).toBe('too-long');
    expect(new LineReader(10).push(Buffer.from('x'.repeat(11) + '\n'))).toBe('too-long');
  });

  it('uses the service when its socket exists, else the in-process agent', () => {
    const sock = machinePaths({}, 'linux').socketPath;
    expect(sock).toBe('/run/cofre/agent.sock');
    expect(serviceSocketToUse({}, (p) => p === sock)).toBe(process.platform === 'win32' ? null : sock);
    expect(serviceSocketToUse({}, () => false)).toBeNull();
    expect(serviceSocketToUse({ COFRE_SERVICE: 'off' }, () => true)).toBeNull();
    expect(serviceSocketToUse({ COFRE_SERVICE_SOCKET: '/tmp/x.sock' }, (p) => p === '/tmp/x.sock')).toBe(process.platform === 'win32' ? null : '/tmp/x.sock');
    expect(tokenFileFor('/run/cofre/agent.sock', 1001)).toBe('/run/cofre/users/1001/token');
  });

  it('gives the tray its own agent when no service runs', async () => {
    const own = { call: async () => ({ ok: true as const, value: 1 }), subscribe: () => () => true, createSession: () => ({ id: 's' }), onResume: () => undefined, onSuspend: async () => undefined, shutdown: async () => undefined };
    const agent = await openDesktopAgent(async () => own, { COFRE_SERVICE_SOCKET: join(tmpdir(), 'no-such-cofre.sock') });
    expect(agent.connection).toBe('in-process');
    expect(await agent.call('getStatus', {}, agent.createSession())).toEqual({ ok: true, value: 1 });
  });

  it('keeps machine state in system folders, or under COFRE_SERVICE_ROOT', () => {
    expect(machinePaths({}, 'linux')).toMatchObject({ configPath: '/etc/cofre/config.json', dataDir: '/var/lib/cofre', cacheDir: '/var/cache/cofre', secretsFile: '/var/lib/cofre/secrets.json' });
    expect(machinePaths({}, 'freebsd').socketPath).toBe('/var/run/cofre/agent.sock');
    expect(machinePaths({ ProgramData: 'D:\\PD' }, 'win32')).toMatchObject({ configPath: 'D:\\PD\\Cofre\\config.json', socketPath: '\\\\.\\pipe\\cofre-agent' });
    expect(machinePaths({ COFRE_SERVICE_ROOT: '/tmp/r' }, 'linux').configPath).toBe('/tmp/r/etc/cofre/config.json');
  });
});
