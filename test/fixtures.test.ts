// Proves the test fixtures are real: restic 0.14, 0.18 and 0.19.1 talk to the
// real rest-server, to nginx with TLS + Basic Auth in front of it, and get
// refused where production would refuse them; rest-server's quota, TLS and
// metrics and the rclone server behave as the tests that use them assume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  answersHttp,
  generateTree,
  hashTree,
  hostileNames,
  httpProbe,
  makeTempDir,
  makeTestCa,
  quotaUsage,
  rawRestic,
  removeDir,
  resticBinaries,
  resticBinary,
  restRepoEnv,
  restServerBinary,
  startRcloneServer,
  startRestServer,
  startTlsProxy,
} from './fixtures/index.js';
import type { ResticBinary, RestServer, TestCa, TlsProxy, TreeInfo } from './fixtures/index.js';

const REPO_PASSWORD = 'correct horse battery staple';
const ALICE = { user: 'alice', password: 'alice: s3cret/with?odd&chars' };
const OFFICE = { user: 'batatais', password: 'office-pass' };

interface Snapshot {
  id: string;
  paths: string[];
  tags?: string[];
}

let work: string;
let cacheDir: string;
let tree: TreeInfo;
let authServer: RestServer; // rest-server with htpasswd
let openServer: RestServer; // rest-server --no-auth, as in production behind nginx
let appendOnlyServer: RestServer;
let proxy: TlsProxy;

beforeAll(async () => {
  work = await makeTempDir('fixtures-test');
  cacheDir = join(work, 'cache');
  // Assign each fixture as soon as it exists, so afterAll closes whatever started even if another failed.
  const started = await Promise.allSettled([
    generateTree(join(work, 'src'), { files: 30, dirs: 4, maxSize: 8_192, seed: 7 }).then((t) => (tree = t)),
    startRestServer({ users: { [ALICE.user]: ALICE.password, bob: 'bob-pass' } }).then((s) => (authServer = s)),
    startRestServer().then((s) => (openServer = s)),
    startRestServer({ appendOnly: true }).then((s) => (appendOnlyServer = s)),
  ]);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  proxy = await startTlsProxy({ upstream: openServer, users: { [OFFICE.user]: OFFICE.password } });
});

afterAll(async () => {
  await Promise.all([proxy?.close(), authServer?.close(), openServer?.close(), appendOnlyServer?.close()]);
  if (work) await removeDir(work);
});

function blob(content: string | Buffer): { name: string; body: string | Buffer } {
  return { name: createHash('sha256').update(content).digest('hex'), body: content };
}

function env(binary: ResticBinary, repoUri: string, credentials?: { user: string; password: string }): Record<string, string> {
  return { ...restRepoEnv(binary, repoUri, credentials), RESTIC_PASSWORD: REPO_PASSWORD, RESTIC_CACHE_DIR: cacheDir };
}

async function snapshots(binary: ResticBinary, e: Record<string, string>, extra: string[] = []): Promise<Snapshot[]> {
  const { stdout } = await rawRestic(binary.bin, ['snapshots', '--json', ...extra], e);
  return JSON.parse(stdout) as Snapshot[];
}

it('finds the three restic versions of the test matrix and the real rest-server', async () => {
  expect(resticBinaries.map((b) => b.label)).toEqual(['0.14', '0.18', '0.19']);
  expect(resticBinary('0.14').version).toMatch(/^0\.14\./);
  expect(resticBinary('0.18').version).toMatch(/^0\.18\./);
  expect(resticBinary('0.19').version).toMatch(/^0\.19\.[1-9]/);
  expect([authServer.kind, openServer.kind, appendOnlyServer.kind]).toEqual(['rest-server', 'rest-server', 'rest-server']);
  const { stdout } = await execa(restServerBinary(), ['--version']);
  expect(stdout).toMatch(/rest-server 0\.14\./);
});

describe.concurrent.each(resticBinaries.map((b) => [b.label, b] as const))('restic %s', (label, binary) => {
  it('inits, backs up and lists snapshots on a REST server with htpasswd users', async () => {
    const e = env(binary, authServer.repoUri(`plain-${label}`), ALICE);
    await rawRestic(binary.bin, ['init'], e);
    await rawRestic(binary.bin, ['backup', '--tag', 'plan:docs', tree.root], e);
    const list = await snapshots(binary, e);
    expect(list).toHaveLength(1);
    expect(list[0]?.paths).toEqual([tree.root]);
    expect(list[0]?.tags).toEqual(['plan:docs']);
    // The repository really lives in the server's data folder.
    expect(await readdir(join(authServer.dataDir, `plain-${label}`))).toEqual(expect.arrayContaining(['config', 'data', 'keys', 'snapshots']));

    const wrong = await rawRestic(binary.bin, ['snapshots'], env(binary, authServer.repoUri(`plain-${label}`), { ...ALICE, password: 'nope' }), { reject: false });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/401/);
  });

  it('works through nginx TLS + Basic Auth with --cacert, and is refused without the CA or with a wrong password', async () => {
    const repo = proxy.repoUri(`tls-${label}`);
    expect(repo).toBe(`rest:https://localhost:${proxy.port}/tls-${label}/`);
    const cacert = ['--cacert', proxy.ca.caCert];
    const e = env(binary, repo, OFFICE);
    if (binary.label === '0.14') expect(e.RESTIC_REPOSITORY).toContain(`${OFFICE.user}:${OFFICE.password}@localhost`);
    else expect(e).toMatchObject({ RESTIC_REPOSITORY: repo, RESTIC_REST_USERNAME: OFFICE.user });

    await rawRestic(binary.bin, ['init', ...cacert], e);
    await rawRestic(binary.bin, ['backup', ...cacert, tree.root], e);
    expect(await snapshots(binary, e, cacert)).toHaveLength(1);

    // 0.18 retries TLS failures for minutes: its first retry line is enough to see the refusal.
    const untrusted = await rawRestic(binary.bin, ['snapshots'], e, { reject: false, timeoutMs: 4_000 });
    expect(untrusted.exitCode).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate signed by unknown authority/);

    const wrongAuth = await rawRestic(binary.bin, ['snapshots', ...cacert], env(binary, repo, { ...OFFICE, password: 'wrong' }), { reject: false });
    expect(wrongAuth.exitCode).not.toBe(0);
    expect(wrongAuth.stderr).toMatch(/401 Unauthorized/);
  });

  it('append-only server accepts backups and refuses to delete a snapshot', async () => {
    const e = env(binary, appendOnlyServer.repoUri(`ao-${label}`));
    await rawRestic(binary.bin, ['init'], e);
    await rawRestic(binary.bin, ['backup', tree.root], e);
    const [snap] = await snapshots(binary, e);
    expect(snap).toBeDefined();
    // 0.14 retries the 403 for minutes, 0.18 gives up at once (and still exits 0!).
    const forget = await rawRestic(binary.bin, ['forget', snap?.id ?? ''], e, { reject: false, timeoutMs: 4_000 });
    expect(forget.stderr).toMatch(/403 Forbidden/);
    expect(await snapshots(binary, e, ['--no-lock'])).toHaveLength(1);
  });
});

it('plain HTTP: append-only answers 403 to DELETE except locks, private repos answer 401 on another user\'s path', async () => {
  // rest-server checks that an uploaded object is named by its sha256.
  const key = blob('key material');
  const lock = blob('lock');
  const repo = `${appendOnlyServer.baseUrl}/ao-http`;
  expect((await httpProbe(`${repo}/?create=true`, { method: 'POST' })).status).toBe(200);
  expect((await httpProbe(`${repo}/keys/${key.name}`, { method: 'POST', body: key.body })).status).toBe(200);
  expect((await httpProbe(`${repo}/keys/${key.name}`, { method: 'DELETE' })).status).toBe(403);
  expect((await httpProbe(`${repo}/keys/${key.name}`)).body).toBe('key material');
  expect((await httpProbe(`${repo}/locks/${lock.name}`, { method: 'POST', body: lock.body })).status).toBe(200);
  expect((await httpProbe(`${repo}/locks/${lock.name}`, { method: 'DELETE' })).status).toBe(200);

  const privateServer = await startRestServer({ users: { alice: 'a', bob: 'b' }, privateRepos: true });
  try {
    const own = await httpProbe(`${privateServer.baseUrl}/alice/?create=true`, { method: 'POST', auth: { user: 'alice', password: 'a' } });
    expect(own.status).toBe(200);
    const nested = await httpProbe(`${privateServer.baseUrl}/alice/docs/?create=true`, { method: 'POST', auth: { user: 'alice', password: 'a' } });
    expect(nested.status).toBe(200);
    // Correct credentials, wrong path: rest-server says 401, exactly like a wrong password.
    const other = await httpProbe(`${privateServer.baseUrl}/alice/config`, { auth: { user: 'bob', password: 'b' } });
    expect(other.status).toBe(401);
    const anonymous = await httpProbe(`${privateServer.baseUrl}/alice/config`);
    expect(anonymous.status).toBe(401);
  } finally {
    await privateServer.close();
  }
});

it('--max-size: an upload over the quota gets 507 with a Content-Length and 500 without', async () => {
  // The quota counts the repository's own folders too: measure them, then allow 150 kB more.
  // Bodies stay under 256 kB, what Go's server reads of a refused body before it closes the connection.
  const data = join(work, 'quota-data');
  const plain = await startRestServer({ dataDir: data });
  expect((await httpProbe(`${plain.baseUrl}/quota/?create=true`, { method: 'POST' })).status).toBe(200);
  await plain.close();
  const quota = await startRestServer({ dataDir: data, maxSize: (await quotaUsage(data)) + 150_000 });
  try {
    const repo = `${quota.baseUrl}/quota`;
    const small = blob(Buffer.alloc(100_000, 1));
    const large = blob(Buffer.alloc(200_000, 2));
    expect((await httpProbe(`${repo}/data/${small.name}`, { method: 'POST', body: small.body })).status).toBe(200);
    expect((await httpProbe(`${repo}/data/${large.name}`, { method: 'POST', body: large.body })).status).toBe(507);
    expect((await httpProbe(`${repo}/data/${large.name}`, { method: 'POST', body: large.body, chunked: true })).status).toBe(500);
  } finally {
    await quota.close();
  }
});

it('--tls: rest-server serves HTTPS with the test CA; restic needs --cacert; --prometheus counts writes', async () => {
  const binary = resticBinary('0.19');
  const secure = await startRestServer({ users: { [ALICE.user]: ALICE.password }, tls: true, prometheus: true });
  try {
    expect(secure.baseUrl).toBe(`https://127.0.0.1:${secure.port}`);
    expect(secure.repoUri('s')).toBe(`rest:https://127.0.0.1:${secure.port}/s/`);
    const ca = secure.ca!.caCert;
    await expect(httpProbe(`${secure.baseUrl}/`)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    const e = env(binary, secure.repoUri('s'), ALICE);
    const untrusted = await rawRestic(binary.bin, ['init'], e, { reject: false, timeoutMs: 4_000 });
    expect(untrusted.exitCode).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate signed by unknown authority/);
    await rawRestic(binary.bin, ['init', '--cacert', ca], e);
    await rawRestic(binary.bin, ['backup', '--cacert', ca, tree.root], e);
    expect(await snapshots(binary, e, ['--cacert', ca])).toHaveLength(1);
    expect((await httpProbe(`${secure.baseUrl}/metrics`, { caFile: ca })).status).toBe(401);
    const metrics = await httpProbe(`${secure.baseUrl}/metrics`, { caFile: ca, auth: ALICE });
    expect(metrics.body).toMatch(/rest_server_blob_write_total\{[^}]*repo="s"[^}]*type="data"[^}]*\} [1-9]/);
  } finally {
    await secure.close();
  }
});

it('the rclone server still speaks the protocol, and refuses another user\'s private path with 403', async () => {
  const rclone = await startRcloneServer({ users: { alice: 'a', bob: 'b' }, privateRepos: true });
  try {
    expect(rclone.kind).toBe('rclone');
    expect((await httpProbe(`${rclone.baseUrl}/alice/?create=true`, { method: 'POST', auth: { user: 'alice', password: 'a' } })).status).toBe(200);
    expect((await httpProbe(`${rclone.baseUrl}/alice/config`, { auth: { user: 'bob', password: 'b' } })).status).toBe(403);
    const binary = resticBinary('0.18');
    const e = env(binary, rclone.repoUri('bob/repo'), { user: 'bob', password: 'b' });
    await rawRestic(binary.bin, ['init'], e);
    expect(await snapshots(binary, e)).toEqual([]);
  } finally {
    await rclone.close();
  }
});

it('stop() makes the server unreachable and start() brings it back on the same port with the data', async () => {
  const binary = resticBinary('0.18');
  const server = await startRestServer({ users: { [ALICE.user]: ALICE.password } });
  try {
    const e = env(binary, server.repoUri('outage'), ALICE);
    await rawRestic(binary.bin, ['init'], e);
    await rawRestic(binary.bin, ['backup', tree.root], e);
    await server.stop();
    expect(await answersHttp(server.baseUrl)).toBe(false);
    await server.start();
    expect(server.repoUri('outage')).toBe(`rest:http://127.0.0.1:${server.port}/outage/`);
    expect(await snapshots(binary, e)).toHaveLength(1);
  } finally {
    await server.close();
  }
  expect(await answersHttp(server.baseUrl)).toBe(false);
});

describe('TLS proxy changes on the server side', () => {
  let otherCa: TestCa;
  afterAll(async () => {
    if (otherCa) await removeDir(otherCa.dir);
  });

  it('setUsers swaps credentials; replaceCertificate makes the old CA untrusted; stop/start keeps serving', async () => {
    const binary = resticBinary('0.18');
    const repo = proxy.repoUri('changes');
    const oldCa = proxy.ca.caCert;
    await rawRestic(binary.bin, ['init', '--cacert', oldCa], env(binary, repo, OFFICE));

    const newUser = { user: 'nova', password: 'nova-senha' };
    await proxy.setUsers({ [newUser.user]: newUser.password });
    expect(proxy.users).toEqual({ [newUser.user]: newUser.password });
    expect((await httpProbe(`${proxy.baseUrl}/changes/config`, { caFile: oldCa, auth: OFFICE })).status).toBe(401);
    expect((await httpProbe(`${proxy.baseUrl}/changes/config`, { caFile: oldCa, auth: newUser })).status).toBe(200);

    otherCa = await makeTestCa();
    await proxy.replaceCertificate(otherCa);
    expect(proxy.ca).toBe(otherCa);
    await expect(httpProbe(`${proxy.baseUrl}/changes/config`, { caFile: oldCa, auth: newUser })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    expect(await snapshots(binary, env(binary, repo, newUser), ['--cacert', otherCa.caCert])).toEqual([]);

    await proxy.stop();
    expect(await answersHttp(proxy.baseUrl, { caFile: otherCa.caCert })).toBe(false);
    await proxy.start();
    expect((await httpProbe(`${proxy.baseUrl}/changes/config`, { caFile: otherCa.caCert, auth: newUser })).status).toBe(200);
    await proxy.setUsers({ [OFFICE.user]: OFFICE.password });
  });
});

describe('generateTree', () => {
  it('is deterministic by seed and includes the awkward names', async () => {
    const opts = { files: 40, dirs: 8, depth: 6, seed: 42, hostileNames: true };
    const [a, b, c] = await Promise.all([
      generateTree(join(work, 'tree-a'), opts),
      generateTree(join(work, 'tree-b'), opts),
      generateTree(join(work, 'tree-c'), { ...opts, seed: 43 }),
    ]);
    const [ha, hb, hc] = await Promise.all([hashTree(a.root), hashTree(b.root), hashTree(c.root)]);
    expect(ha).toEqual(hb);
    expect(ha).not.toEqual(hc);
    expect(a.files).toEqual(b.files);
    expect(a.totalBytes).toBe(b.totalBytes);
    expect(a.files.length).toBe(40 + hostileNames.length + 1);

    const names = a.files.map((f) => f.split('/').pop() ?? '');
    expect(names).toContain('ação.txt'.normalize('NFC'));
    expect(names).toContain('ação.txt'.normalize('NFD'));
    expect(names.some((n) => n.includes('日本'))).toBe(true);
    expect(names.some((n) => n.length >= 200)).toBe(true);
    expect(names.some((n) => Buffer.byteLength(n) === 255)).toBe(true);
    expect(names).toContain('line\nbreak.txt');
    expect(names).toContain('--password-file=x');
    expect([...ha.values()]).toContain(`sha256:${'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'} size:0`);
    expect(Math.max(...[...ha.keys()].map((k) => k.split('/').length))).toBeGreaterThanOrEqual(7);
    expect(ha.size).toBe(a.files.length + a.dirs);
  });

  it('hashTree sees a restic round trip of the hostile tree as byte-identical', async () => {
    const binary = resticBinary('0.18');
    const source = await generateTree(join(work, 'hostile-src'), { files: 12, dirs: 2, seed: 5, hostileNames: true });
    const e = { RESTIC_REPOSITORY: join(work, 'local-repo'), RESTIC_PASSWORD: REPO_PASSWORD, RESTIC_CACHE_DIR: cacheDir };
    await rawRestic(binary.bin, ['init'], e);
    await rawRestic(binary.bin, ['backup', source.root], e);
    const target = join(work, 'restored');
    await rawRestic(binary.bin, ['restore', 'latest', '--target', target], e);
    expect(await hashTree(join(target, source.root))).toEqual(await hashTree(source.root));
  });
});
