// What cron, Task Scheduler and RMM tools run is `cofre backup <plan>` and nothing else: it must
// finish what the plan asks (its retention) before it exits, remove a stale lock only when one is
// in the way (autoUnlock), and see only its own instance's snapshots of a plan, as Backrest does.
// Real restic, a real REST server, the real CLI.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiEvent } from '../../electron/core/api.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { startServer } from '../../electron/server/server.js';
import { runCli } from './run-cli.js';
import { generateTree, makeTempDir, rawRestic, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';

const repoPassword = 'Repo-Secret-4471';

interface Machine {
  dataDir: string;
  args: string[];
}

describe.each(resticBinaries)('cofre backup finishes the plan with restic $label', (restic) => {
  let server: RestServer;
  let dir: string;
  let source: string;

  const backrestConfig = (instance: string, uri: string, keep: number, hooks: unknown[]) => ({
    modno: 1,
    version: 6,
    instance,
    repos: [{ id: 'setor', uri, password: repoPassword, autoInitialize: true, autoUnlock: true }],
    plans: [{ id: 'documentos', repo: 'setor', paths: [source], schedule: { disabled: true }, retention: { policyKeepLastN: keep }, hooks }],
  });

  async function machine(name: string, instance: string, repoName: string, options: { uri?: string; keep?: number; hooks?: unknown[] } = {}): Promise<Machine> {
    const dataDir = join(dir, name);
    await mkdir(dataDir, { recursive: true });
    const args = ['--data-dir', dataDir, '--restic', restic.bin, '--policy', join(dir, 'no-policy.json')];
    const file = join(dir, `${name}-backrest.json`);
    await writeFile(file, JSON.stringify(backrestConfig(instance, options.uri ?? server.repoUri(repoName), options.keep ?? 2, options.hooks ?? []), null, 2));
    const imported = await runCli([...args, 'config', 'import-backrest', file]);
    expect(imported.code, imported.out + imported.err).toBe(0);
    return { dataDir, args };
  }

  const unlockRuns = async (m: Machine) => {
    const log = await readFile(join(m.dataDir, 'logs', 'cofre.log'), 'utf8').catch(() => '');
    return log.split('\n').filter((line) => line.includes('run: restic unlock')).length;
  };

  const planSnapshots = async (repoName: string, instance: string) => {
    const raw = await rawRestic(restic.bin, ['snapshots', '--json', '--tag', `plan:documentos,created-by:${instance}`], {
      RESTIC_REPOSITORY: server.repoUri(repoName),
      RESTIC_PASSWORD: repoPassword,
    });
    return JSON.parse(raw.stdout) as Array<{ id: string }>;
  };

  beforeAll(async () => {
    server = await startRestServer();
    dir = await makeTempDir('backup-retention');
    source = join(dir, 'srv', 'setor');
    await mkdir(source, { recursive: true });
    await generateTree(source, { files: 30, dirs: 3, depth: 2, seed: 11 });
  });

  afterAll(async () => {
    await server.close();
    await removeDir(dir);
  });

  it('applies the keep rule before the command exits and says how many old backups it removed', async () => {
    const pc = await machine('pc', 'pc-compras-01', 'compras');
    for (let run = 1; run <= 2; run++) {
      const result = await runCli([...pc.args, 'backup', 'documentos']);
      expect(result.code, result.out + result.err).toBe(0);
      expect(result.out).toContain('Retenção aplicada: nenhum backup antigo para remover.');
    }
    const third = await runCli([...pc.args, 'backup', 'documentos']);
    expect(third.code, third.out + third.err).toBe(0);
    expect(third.out).toContain('Retenção aplicada: 1 backup antigo removido.');
    expect(await planSnapshots('compras', 'pc-compras-01')).toHaveLength(2);

    const fourth = await runCli([...pc.args, 'backup', 'documentos', '--json']);
    expect(fourth.code, fourth.out + fourth.err).toBe(0);
    const json = JSON.parse(fourth.out) as { status: string; retention: { status: string; removed: number; kept: number } };
    expect(json.status).toBe('success');
    expect(json.retention).toMatchObject({ status: 'success', removed: 1, kept: 2 });
    expect(await planSnapshots('compras', 'pc-compras-01')).toHaveLength(2);

    // The history row of the backup tells what its retention did; the forget is an operation of its own.
    const history = JSON.parse((await runCli([...pc.args, 'history', '--json'])).out) as { items: Array<{ type: string; status: string; summary: { retention?: { removed: number } } | null }> };
    const forgets = history.items.filter((op) => op.type === 'forget');
    expect(forgets).toHaveLength(4);
    expect(forgets.every((op) => op.status === 'success')).toBe(true);
    expect(history.items.find((op) => op.type === 'backup')?.summary?.retention?.removed).toBe(1);

    // No lock was in the way: autoUnlock cost no `restic unlock` at all.
    expect(await unlockRuns(pc)).toBe(0);
  });

  it('applies and reports retention the same way when the backup comes through the HTTP face', async () => {
    const pc = await machine('pc-http', 'pc-http-01', 'web');
    for (let run = 1; run <= 2; run++) expect((await runCli([...pc.args, 'backup', 'documentos'])).code).toBe(0);
    const agent = await Agent.create({
      configPath: join(pc.dataDir, 'config.json'),
      policyPath: null,
      dataDir: pc.dataDir,
      cacheDir: join(pc.dataDir, 'cache'),
      secrets: new FileSecretStore(join(pc.dataDir, 'secrets.json')),
      resticBinary: restic.bin,
      locale: 'pt-BR',
    });
    agent.start();
    const server = await startServer({ host: agent, session: agent.createSession(), createSession: () => agent.createSession() });
    const finished: Array<Extract<ApiEvent, { type: 'jobFinished' }>['data']> = [];
    agent.subscribe((event) => {
      if (event.type === 'jobFinished') finished.push(event.data);
    });
    try {
      const reply = await fetch(`${server.url}api/runBackup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ planId: 'documentos' }),
      });
      const { value } = (await reply.json()) as { value: { jobId: string } };
      await expect.poll(() => finished.find((f) => f.jobId === value.jobId), { timeout: 60_000 }).toBeTruthy();
      const backup = finished.find((f) => f.jobId === value.jobId)!;
      expect(backup.status).toBe('success');
      expect(backup.retentionJobId).toBeTruthy();
      await expect.poll(() => finished.find((f) => f.jobId === backup.retentionJobId), { timeout: 60_000 }).toBeTruthy();
      expect(finished.find((f) => f.jobId === backup.retentionJobId)!.retention).toMatchObject({ status: 'success', removed: 1, kept: 2 });
      expect(await planSnapshots('web', 'pc-http-01')).toHaveLength(2);
      const history = await agent.call('listHistory', { type: 'backup', limit: 1 }, agent.createSession());
      expect(history.ok && (history.value as { items: Array<{ summary: { retention?: unknown } }> }).items[0]!.summary?.retention).toMatchObject({ removed: 1 });
    } finally {
      await server.close();
      await agent.shutdown(10_000);
    }
  });

  it("runs the plan's forget hooks, after the backup's, before the command exits", async () => {
    const calls: string[] = [];
    const hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        calls.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/`;
    const hook = (condition: string, text: string) => ({ conditions: [condition], actionWebhook: { webhookUrl: url, method: 'POST', template: text } });
    try {
      const pc = await machine('pc-hooks', 'pc-hooks-01', 'ganchos', {
        hooks: [hook('CONDITION_SNAPSHOT_SUCCESS', 'backup'), hook('CONDITION_FORGET_START', 'forget-start'), hook('CONDITION_FORGET_SUCCESS', 'forget-success')],
      });
      const result = await runCli([...pc.args, 'backup', 'documentos']);
      expect(result.code, result.out + result.err).toBe(0);
      expect(calls).toEqual(['backup', 'forget-start', 'forget-success']);
    } finally {
      await new Promise<void>((resolve) => hookServer.close(() => resolve()));
    }
  });

  it('says in plain words that an append-only server does its own cleanup, and exits 0', async () => {
    const appendOnly = await startRestServer({ appendOnly: true });
    try {
      const pc = await machine('pc-append', 'pc-append-01', 'append', { uri: appendOnly.repoUri('append'), keep: 1 });
      expect((await runCli([...pc.args, 'backup', 'documentos'])).code).toBe(0);
      const second = await runCli([...pc.args, 'backup', 'documentos']);
      expect(second.code, second.out + second.err).toBe(0);
      expect(second.out).toContain('Os backups antigos são removidos pelo próprio servidor');
      const json = JSON.parse((await runCli([...pc.args, 'backup', 'documentos', '--json'])).out) as { retention: { status: string; managedByServer: boolean } };
      expect(json.retention).toMatchObject({ status: 'warning', managedByServer: true });
    } finally {
      await appendOnly.close();
    }
  });

  it("exits 3 with the reason when the backup is made but retention cannot run (another restic holds the repository)", async () => {
    const pc = await machine('pc-busy', 'pc-busy-01', 'ocupado');
    expect((await runCli([...pc.args, 'backup', 'documentos'])).code).toBe(0);
    // A live restic on this host (another backup still uploading) holds a shared lock: a new
    // backup may run beside it, a forget (exclusive) may not, and `unlock` rightly leaves it.
    const repoDir = join(server.dataDir, 'ocupado');
    const busy = spawn(restic.bin, ['backup', '--stdin', '--stdin-filename', 'ainda-enviando.txt', '--no-cache'], {
      env: { ...process.env, RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD: repoPassword },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const busyExited = new Promise<void>((resolve) => busy.once('exit', () => resolve()));
    try {
      await expect.poll(() => lockFiles(repoDir).length, { timeout: 30_000 }).toBe(1);
      const result = await runCli([...pc.args, 'backup', 'documentos']);
      expect(result.code, result.out + result.err).toBe(3);
      expect(result.out).toContain('O backup foi feito, mas a remoção dos backups antigos (retenção) falhou:');
      const json = await runCli([...pc.args, 'backup', 'documentos', '--json']);
      expect(json.code).toBe(3);
      expect((JSON.parse(json.out) as { status: string; retention: unknown }).retention).toMatchObject({ status: 'failure', cause: 'repo-locked' });
      expect(await planSnapshots('ocupado', 'pc-busy-01')).toHaveLength(3);
    } finally {
      busy.stdin.end('fim\n');
      await busyExited;
    }
  });

  it('removes the stale lock a killed restic left (autoUnlock) and backs up', async () => {
    const pc = await machine('pc-lock', 'pc-lock-01', 'travado');
    expect((await runCli([...pc.args, 'backup', 'documentos'])).code).toBe(0);
    const repoDir = join(server.dataDir, 'travado');
    await leaveStaleExclusiveLock(restic.bin, repoDir);
    expect(lockFiles(repoDir)).toHaveLength(1);

    const result = await runCli([...pc.args, 'backup', 'documentos']);
    expect(result.code, result.out + result.err).toBe(0);
    expect(await unlockRuns(pc)).toBe(1);
    expect(lockFiles(repoDir)).toHaveLength(0);
    expect(await planSnapshots('travado', 'pc-lock-01')).toHaveLength(2);
  });

  it("lists and versions only this instance's snapshots of a plan, like Backrest", async () => {
    const a = await machine('instance-a', 'pc-a', 'partilhado');
    const b = await machine('instance-b', 'pc-b', 'partilhado');
    expect((await runCli([...a.args, 'backup', 'documentos'])).code).toBe(0);
    expect((await runCli([...b.args, 'backup', 'documentos'])).code).toBe(0);
    expect((await runCli([...b.args, 'backup', 'documentos'])).code).toBe(0);

    const ofA = JSON.parse((await runCli([...a.args, 'snapshots', '--plan', 'documentos', '--json'])).out) as Array<{ tags: string[] }>;
    expect(ofA).toHaveLength(1);
    expect(ofA[0]!.tags).toContain('created-by:pc-a');
    const ofB = JSON.parse((await runCli([...b.args, 'snapshots', '--plan', 'documentos', '--json'])).out) as Array<{ tags: string[] }>;
    expect(ofB).toHaveLength(2);

    const file = join(source, readdirSync(source, { withFileTypes: true }).find((e) => e.isFile())!.name);
    const versions = JSON.parse((await runCli([...a.args, 'versions', file, '--json'])).out) as Array<{ snapshots: unknown[] }>;
    expect(versions).toHaveLength(1);
    expect(versions[0]!.snapshots).toHaveLength(1);
  });
});

function lockFiles(repoDir: string): string[] {
  const locks = join(repoDir, 'locks');
  return existsSync(locks) ? readdirSync(locks).filter((name) => /^[0-9a-f]{64}$/.test(name)) : [];
}

/**
 * `restic prune` takes an exclusive lock; killed with SIGKILL while holding it, it leaves a stale
 * lock of this host (its process is gone) that makes every later backup fail "repository is
 * already locked" until someone runs `restic unlock`. The repository is opened through its folder
 * on the server, so the lock is a real one in the server's storage.
 */
async function leaveStaleExclusiveLock(bin: string, repoDir: string): Promise<void> {
  for (let attempt = 0; attempt < 20 && lockFiles(repoDir).length === 0; attempt++) {
    const child = spawn(bin, ['prune', '--no-cache'], { env: { ...process.env, RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD: repoPassword }, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let done = false;
    void exited.then(() => (done = true));
    while (!done && lockFiles(repoDir).length === 0) await new Promise((resolve) => setImmediate(resolve));
    child.kill('SIGKILL');
    await exited;
  }
  if (lockFiles(repoDir).length === 0) throw new Error('could not catch restic prune holding its lock');
}
