// Issue 13 for real: one Cofre service per machine (run as root on a socket, machine-wide paths
// under a temp root) and two real OS users (useradd) whose clients run as themselves (runuser),
// against a real rest-server. Each user works, sees only their own files, cannot pose as the
// other, and gets restored files as their own.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import { privateStagingParent } from '../../electron/core/service/owned-restore.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, repoRoot, resticBinary, startRestServer, type RestServer } from '../fixtures/index.js';
import { spawnServer, type ServerProcess } from '../fixtures/process.js';
import { runCli } from './run-cli.js';

const isRoot = process.getuid?.() === 0;
const hasUseradd = existsSync('/usr/sbin/useradd') && existsSync('/usr/sbin/runuser');
const skipReason = !isRoot ? 'needs root (creates OS users and runs the service as root)' : !hasUseradd ? 'needs useradd and runuser' : null;
if (skipReason) console.warn(`service.test.ts skipped: ${skipReason}`);

interface OsUser { name: string; uid: number; gid: number; home: string }
interface Reply { ok: boolean; value?: unknown; error?: { code: string; message: string } }
interface ClientOut {
  identity?: { uid: number; username: string };
  result: Reply;
  job?: { status: string; error: { code: string } | null; restoreReport: unknown } | null;
  thrown?: unknown;
  /** forge/anonymous: what reading the other's token file gave, and the raw replies. */
  stolen?: string;
  replies?: Array<{ result: Reply }>;
}

function exec(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repoRoot, timeout: 120_000, maxBuffer: 16_000_000, env: options.env ?? process.env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const clientScript = join(repoRoot, 'test', 'integration', 'service-client.ts');

describe.skipIf(skipReason !== null)('one Cofre service, two real users', () => {
  const restic = resticBinary('0.19');
  const tag = randomBytes(3).toString('hex');
  const users: OsUser[] = [];
  let ana: OsUser;
  let bia: OsUser;
  let server: RestServer;
  let dir: string;
  let socket: string;
  let shared: string;
  let service: ServerProcess;
  let snapshotId: string;
  let stagingParent: string | null = null;

  async function asUser(user: OsUser, mode: string, ...args: string[]): Promise<ClientOut> {
    const run = await exec('runuser', ['-u', user.name, '--', process.execPath, '--import', 'tsx', clientScript, mode, socket, ...args]);
    const line = run.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as ClientOut;
    } catch {
      throw new Error(`client of ${user.name} printed no JSON (code ${run.code}): ${run.stdout}\n${run.stderr}\nservice log:\n${service.log()}`);
    }
  }
  const call = (user: OsUser, method: string, input: unknown = {}) => asUser(user, 'call', method, JSON.stringify(input));
  const wait = (user: OsUser, method: string, input: unknown = {}) => asUser(user, 'wait', method, JSON.stringify(input));

  async function addUser(prefix: string): Promise<OsUser> {
    const name = `${prefix}${tag}`;
    const made = await exec('useradd', ['-m', '-s', '/bin/sh', name]);
    if (made.code !== 0) throw new Error(`useradd ${name}: ${made.stderr}`);
    const id = await exec('id', ['-u', name]);
    const gid = await exec('id', ['-g', name]);
    const user = { name, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), home: `/home/${name}` };
    users.push(user);
    return user;
  }

  async function userFile(user: OsUser, relative: string, content: string | Buffer, mode: number): Promise<string> {
    const path = join(user.home, relative);
    await mkdir(join(path, '..'), { recursive: true });
    await chown(join(path, '..'), user.uid, user.gid);
    await writeFile(path, content);
    await chown(path, user.uid, user.gid);
    await chmod(path, mode);
    return path;
  }

  beforeAll(async () => {
    ana = await addUser('cfa');
    bia = await addUser('cfb');
    await userFile(ana, 'Documentos/relatorio-ana.txt', 'relatório da Ana\n', 0o640);
    // Big enough that a backup and a restore last a moment (two presses, a client leaving mid-restore).
    await userFile(ana, 'Documentos/planilha-grande.bin', randomBytes(48 * 1024 * 1024), 0o600);
    await userFile(bia, 'Documentos/segredo-bia.txt', 'segredo da Bia\n', 0o600);

    server = await startRestServer({ users: { cofre: 'rest-pw-1' } });
    dir = await makeTempDir('service');
    await chmod(dir, 0o755);
    // A folder of the machine (not anybody's profile) that a plan backs up: one file anyone may
    // read, one only root may.
    shared = join(dir, 'maquina');
    await mkdir(shared, { mode: 0o755 });
    await writeFile(join(shared, 'aviso.txt'), 'aviso para todos\n', { mode: 0o644 });
    await writeFile(join(shared, 'segredo-root.txt'), 'só o root lê\n', { mode: 0o600 });
    const machine = join(dir, 'machine');
    socket = join(dir, 'run', 'agent.sock');
    const backrest = {
      version: 6,
      instance: 'pc-compartilhado',
      repos: [{ id: 'rh', uri: server.repoUri('rh'), password: 'repo-pw-1', env: ['RESTIC_REST_USERNAME=cofre', 'RESTIC_REST_PASSWORD=rest-pw-1'], autoInitialize: true }],
      plans: [{ id: 'maquina', repo: 'rh', paths: [ana.home, bia.home, shared], retention: { policyKeepAll: true } }],
    };
    await writeFile(join(dir, 'backrest.json'), JSON.stringify(backrest));
    const imported = await runCli(['--config', join(machine, 'etc/cofre/config.json'), '--data-dir', join(machine, 'var/lib/cofre'), '--policy', join(machine, 'etc/cofre/policy.json'), 'config', 'import-backrest', join(dir, 'backrest.json')]);
    expect(imported.code, imported.err).toBe(0);

    service = spawnServer(process.execPath, [join(repoRoot, 'bin', 'cofre.mjs'), 'service', 'run', '--socket', socket, '--restic', restic.bin], {
      env: { ...process.env, COFRE_SERVICE_ROOT: machine, LANG: 'en_US.UTF-8' },
      exitSignal: 'SIGTERM',
    });
    for (let i = 0; i < 600 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(socket)) throw new Error(`service did not start:\n${service.log()}`);
  }, 180_000);

  afterAll(async () => {
    if (service?.isRunning()) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    for (const user of users) await exec('userdel', ['-r', '-f', user.name]);
    // The private staging folder the service made at the top of the volume, if it is empty now.
    if (stagingParent) await rmdir(stagingParent).catch(() => undefined);
    await server?.close();
    if (dir) await removeDir(dir);
  }, 120_000);

  it('each user connects as themselves and sees the status of the machine', async () => {
    const [a, b] = await Promise.all([call(ana, 'getStatus'), call(bia, 'getStatus')]);
    expect(a.identity).toMatchObject({ uid: ana.uid, username: ana.name });
    expect(b.identity).toMatchObject({ uid: bia.uid, username: bia.name });
    expect(a.result.ok, JSON.stringify(a)).toBe(true);
    expect(b.result.ok, JSON.stringify(b)).toBe(true);
    // The app shows each user their own name and home, not the service's root.
    const info = await call(bia, 'getAppInfo');
    expect(info.result.value).toMatchObject({ username: bia.name, homeDir: bia.home });
  }, 120_000);

  it('both users pressing "back up now" at once start one backup', async () => {
    const [a, b] = await Promise.all([wait(ana, 'runBackup', { planId: 'maquina' }), call(bia, 'runBackup', { planId: 'maquina' })]);
    expect(a.result.ok, JSON.stringify(a)).toBe(true);
    expect(b.result.ok, JSON.stringify(b)).toBe(true);
    expect((b.result.value as { jobId: string }).jobId).toBe((a.result.value as { jobId: string }).jobId);
    expect(a.job?.status, JSON.stringify(a.job)).toBe('success');
    const listed = await call(bia, 'listSnapshots');
    const snapshots = listed.result.value as Array<{ id: string }>;
    expect(snapshots).toHaveLength(1);
    snapshotId = snapshots[0]!.id;
  }, 180_000);

  it('each user browsing /home sees only their own folder', async () => {
    const [a, b] = await Promise.all([call(ana, 'browse', { snapshotId, path: '/home' }), call(bia, 'browse', { snapshotId, path: '/home' })]);
    const names = (out: ClientOut) => (out.result.value as { entries: Array<{ name: string }> }).entries.map((e) => e.name);
    expect(names(a)).toContain(ana.name);
    expect(names(a)).not.toContain(bia.name);
    expect(names(b)).toContain(bia.name);
    expect(names(b)).not.toContain(ana.name);
  }, 120_000);

  it("Ana cannot reach Bia's files through browse, search, versions or restore", async () => {
    const secret = join(bia.home, 'Documentos', 'segredo-bia.txt');
    const [browse, search, versions, restore] = await Promise.all([
      call(ana, 'browse', { snapshotId, path: join(bia.home, 'Documentos') }),
      call(ana, 'search', { pattern: 'segredo-bia*' }),
      call(ana, 'versions', { path: secret }),
      wait(ana, 'restore', { snapshotId, paths: [secret], destination: { kind: 'folder', path: join(ana.home, 'Roubado') } }),
    ]);
    expect(browse.result.ok).toBe(false);
    expect((search.result.value as { items: unknown[] }).items).toEqual([]);
    expect(versions.result.ok && (versions.result.value as unknown[]).length > 0).toBe(false);
    // Refused at the call or by the job, before restic wrote anything.
    expect(restore.result.ok ? restore.job?.status : 'refused', JSON.stringify(restore)).not.toBe('success');
    expect(existsSync(join(ana.home, 'Roubado'))).toBe(false);
    // Bia herself finds it.
    const own = await call(bia, 'search', { pattern: 'segredo-bia*' });
    expect((own.result.value as { items: Array<{ path: string }> }).items.map((i) => i.path)).toContain(secret);
  }, 120_000);

  it('a client posing as another user is refused', async () => {
    const madeUp = await asUser(ana, 'forge', String(bia.uid));
    expect(madeUp.stolen).toBe('EACCES');
    const replies = madeUp.replies!;
    expect(replies[0]!.result.error?.code).toBe('service.identityRefused');
    expect(replies[1]!.result.error?.code).toBe('service.identityRequired');
    const ownTokenOtherUid = await asUser(ana, 'forge', String(bia.uid), 'own');
    expect(ownTokenOtherUid.replies![0]!.result.error?.code).toBe('service.identityRefused');
    const anonymous = await asUser(ana, 'anonymous');
    expect(anonymous.replies![0]!.result.error?.code).toBe('service.identityRequired');
  }, 120_000);

  it('a restore lands owned by the user who asked, with the permissions it had', async () => {
    const target = join(ana.home, 'Restaurados', 'hoje');
    const out = await wait(ana, 'restore', { snapshotId, paths: [join(ana.home, 'Documentos', 'relatorio-ana.txt')], destination: { kind: 'folder', path: target } });
    expect(out.job?.status, JSON.stringify(out)).toBe('success');
    const file = await stat(join(target, 'relatorio-ana.txt'));
    expect({ uid: file.uid, gid: file.gid, mode: file.mode & 0o777 }).toEqual({ uid: ana.uid, gid: ana.gid, mode: 0o640 });
    for (const folder of [join(ana.home, 'Restaurados'), target]) expect((await stat(folder)).uid).toBe(ana.uid);

    // Back in place over today's version, keeping it aside: all of it is still Ana's.
    const original = join(ana.home, 'Documentos', 'relatorio-ana.txt');
    await writeFile(original, 'versão de hoje\n');
    const replaced = await wait(ana, 'restore', { snapshotId, paths: [original], destination: { kind: 'original' }, conflict: 'replace' });
    expect(replaced.job?.status, JSON.stringify(replaced)).toBe('success');
    const report = replaced.job?.restoreReport as { replaced: number; replacedFolder?: string };
    expect(report.replaced).toBe(1);
    expect((await stat(original)).uid).toBe(ana.uid);
    expect((await stat(report.replacedFolder!)).uid).toBe(ana.uid);
    expect((await stat(join(report.replacedFolder!, '..'))).uid).toBe(ana.uid);
  }, 120_000);

  it("root stages a user's restore where that user cannot swap the folder for a link", async () => {
    stagingParent = await privateStagingParent(join(ana.home, 'Documentos'));
    expect(stagingParent).not.toBeNull();
    expect(stagingParent!.startsWith(ana.home)).toBe(false);
    const info = await lstat(stagingParent!);
    // Users pass through (to the one staging folder given to them) but cannot list or change it.
    expect({ dir: info.isDirectory(), uid: info.uid, mode: info.mode & 0o777 }).toEqual({ dir: true, uid: 0, mode: 0o711 });
  }, 60_000);

  it("the moves into place are the user's own: a root folder in their home is not written into", async () => {
    // Root's check passes (Ana may write her home), but Documentos itself is root's now: moving a
    // restored copy into it must fail as it would for Ana, and leave everything as it was.
    const documentos = join(ana.home, 'Documentos');
    await writeFile(join(documentos, 'relatorio-ana.txt'), 'mudado por root\n');
    await chown(documentos, 0, 0);
    try {
      const before = (await readdir(documentos)).sort();
      const out = await wait(ana, 'restore', { snapshotId, paths: [documentos], destination: { kind: 'original' }, conflict: 'keep-both' });
      expect(out.job?.status, JSON.stringify(out)).toBe('failure');
      expect(out.job?.error?.code).toBe('restore.error.placeNotPermitted');
      expect((await readdir(documentos)).sort()).toEqual(before);
      expect(await readFile(join(documentos, 'relatorio-ana.txt'), 'utf8')).toBe('mudado por root\n');
    } finally {
      await chown(documentos, ana.uid, ana.gid);
    }
  }, 180_000);

  it('the service writes its log under /var/log/cofre, not beside its data', async () => {
    const connected = `socket: ${ana.name} (uid ${ana.uid}) connected`;
    expect(await readFile(join(dir, 'machine', 'var', 'log', 'cofre', 'cofre.log'), 'utf8')).toContain(connected);
    // (The one-shot import run before the service started logs in its own data dir; the service never does.)
    const beside = await readFile(join(dir, 'machine', 'var', 'lib', 'cofre', 'logs', 'cofre.log'), 'utf8').catch(() => '');
    expect(beside).not.toContain(connected);
  }, 30_000);

  it('a user cannot restore a machine file they could not read, nor into a folder they cannot write', async () => {
    const unreadable = await wait(ana, 'restore', { snapshotId, paths: [join(shared, 'segredo-root.txt')], destination: { kind: 'folder', path: join(ana.home, 'DaMaquina') } });
    expect(unreadable.job?.status).toBe('failure');
    expect(unreadable.job?.error?.code).toBe('service.restore.notReadable');
    expect(existsSync(join(ana.home, 'DaMaquina', 'segredo-root.txt'))).toBe(false);
    const readable = await wait(ana, 'restore', { snapshotId, paths: [join(shared, 'aviso.txt')], destination: { kind: 'folder', path: join(ana.home, 'DaMaquina') } });
    expect(readable.job?.status, JSON.stringify(readable)).toBe('success');
    expect((await stat(join(ana.home, 'DaMaquina', 'aviso.txt'))).uid).toBe(ana.uid);
    const intoMachine = await wait(ana, 'restore', { snapshotId, paths: [join(ana.home, 'Documentos', 'relatorio-ana.txt')], destination: { kind: 'folder', path: shared } });
    expect(intoMachine.job?.error?.code ?? intoMachine.result.error?.code).toBe('service.restore.notWritable');
    expect(existsSync(join(shared, 'relatorio-ana.txt'))).toBe(false);
  }, 180_000);

  it("a user cannot change the machine's plans without the technician login", async () => {
    const out = await call(ana, 'getConfig');
    expect(out.result.error?.code).toBe('error.technicianRequired');
    // No technician password in this machine's policy: nobody but root becomes technician.
    const login = await call(ana, 'technicianLogin', { password: '-' });
    expect(login.result.error?.code).toBe('service.technicianPasswordMissing');
  }, 60_000);

  it("a user is not told about another user's restore", async () => {
    const listening = asUser(bia, 'listen', '8000');
    // Give Bia's client time to connect (tsx start) before Ana restores.
    await new Promise((r) => setTimeout(r, 3_000));
    const restored = await wait(ana, 'restore', { snapshotId, paths: [join(ana.home, 'Documentos', 'relatorio-ana.txt')], destination: { kind: 'folder', path: join(ana.home, 'Outra') } });
    expect(restored.job?.status, JSON.stringify(restored)).toBe('success');
    const heard = (await listening) as ClientOut & { events?: Array<{ type: string; data: { kind?: string } }> };
    expect(heard.events, JSON.stringify(heard)).toBeDefined();
    expect(heard.events!.filter((e) => e.data.kind === 'restore')).toEqual([]);
    expect(JSON.stringify(heard.events)).not.toContain('relatorio-ana');
  }, 120_000);

  it('the service keeps working when a client leaves in the middle of a restore', async () => {
    const target = join(ana.home, 'Metade');
    const dropped = await asUser(ana, 'drop', 'restore', JSON.stringify({ snapshotId, paths: [join(ana.home, 'Documentos', 'planilha-grande.bin')], destination: { kind: 'folder', path: target } }));
    expect(dropped.result.ok, JSON.stringify(dropped)).toBe(true);
    expect((await call(bia, 'getStatus')).result.ok).toBe(true);
    const restored = join(target, 'planilha-grande.bin');
    for (let i = 0; i < 600 && !existsSync(restored); i++) await new Promise((r) => setTimeout(r, 100));
    const info = await stat(restored);
    expect({ uid: info.uid, size: info.size }).toEqual({ uid: ana.uid, size: 48 * 1024 * 1024 });
    expect(service.isRunning()).toBe(true);
  }, 180_000);

  it('"cofre status" run by the user says it is connected to the service', async () => {
    const run = await exec('runuser', ['-u', ana.name, '--', 'env', `COFRE_SERVICE_SOCKET=${socket}`, process.execPath, join(repoRoot, 'bin', 'cofre.mjs'), 'status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ connection: 'service' });
  }, 120_000);

  it("the user's tray becomes a client of the service", async () => {
    const out = (await asUser(bia, 'desktop')) as ClientOut & { connection?: string };
    expect(out.connection, JSON.stringify(out)).toBe('service');
    expect(out.result.ok).toBe(true);
  }, 60_000);

  it('installing the service as a plain user says it needs root, in Portuguese, without a stack trace', async () => {
    const run = await exec('runuser', ['-u', ana.name, '--', 'env', 'LANG=pt_BR.UTF-8', process.execPath, join(repoRoot, 'bin', 'cofre.mjs'), 'service', 'install']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('administrador (root)');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);

  it('"cofre service status" says when no service is installed', async () => {
    const run = await runCli(['service', 'status', '--json'], { COFRE_SYSTEMD_UNIT: join(dir, 'none.service') });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.out)).toMatchObject({ installed: false, state: 'not-installed' });
  }, 60_000);
});
