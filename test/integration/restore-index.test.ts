// Searching all backups never waits for the whole index: a real agent with real restic and a real
// REST server indexes new snapshots in the background as soon as they are listed, answers a search
// at once with what is indexed and how far it got, stops when asked, and decides before a restore
// whether this person may put files somewhere. The technician's diagnostics carry no secret.
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../electron/core/agent/agent.js';
import type { ApiResult, SessionRef } from '../../electron/core/api.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import { makeTempDir, rawRestic, removeDir, resticBinary, restRepoEnv, startRestServer, type RestServer } from '../fixtures/index.js';

const restic = resticBinary('0.18');
const repoPassword = 'senha-do-repo-integ-77';

describe('background index, partial search and restore checks (real restic and server)', () => {
  let dir: string;
  let home: string;
  let docs: string;
  let server: RestServer;
  let agent: Agent;
  let user: SessionRef;
  const snapshots = 12;

  async function call<T>(method: string, input: unknown, session: SessionRef = user): Promise<T> {
    const result = (await agent.call(method, input, session)) as ApiResult<T>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  beforeAll(async () => {
    dir = await makeTempDir('restore-index');
    home = join(dir, 'home', 'ana');
    docs = join(home, 'Documentos');
    await mkdir(docs, { recursive: true });
    for (let i = 0; i < 30; i += 1) await writeFile(join(docs, `Carta ${i}.txt`), `carta ${i}\n`);
    server = await startRestServer();
    const uri = server.repoUri('indice');
    const env = { ...restRepoEnv(restic, uri), RESTIC_PASSWORD: repoPassword, RESTIC_CACHE_DIR: join(dir, 'rc') };
    await rawRestic(restic.bin, ['init'], env);
    for (let i = 0; i < snapshots; i += 1) {
      const time = new Date(Date.now() - (i + 1) * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
      await rawRestic(restic.bin, ['backup', '--host', hostname(), '--time', time, '--tag', 'plan:docs', '--tag', 'created-by:integ', docs], env);
    }
    agent = await Agent.create({
      configPath: join(dir, 'config.json'), policyPath: null, dataDir: join(dir, 'data'), cacheDir: join(dir, 'cache'),
      secrets: new MemorySecretStore(), resticBinary: restic.bin, locale: 'pt-BR', homeDir: home,
    });
    user = agent.createSession();
    const backrest = { version: 6, instance: 'integ', repos: [{ id: 'repo', uri, password: repoPassword }], plans: [{ id: 'docs', repo: 'repo', paths: [docs], schedule: { disabled: true } }] };
    await call('importBackrest', { content: JSON.stringify(backrest) });
  }, 120_000);

  afterAll(async () => {
    await agent?.shutdown(10_000);
    await server?.close();
    await removeDir(dir);
  });

  it('indexes in the background once snapshots are listed; search answers at once with the progress', async () => {
    expect(await call('indexStatus', {})).toEqual({ indexed: 0, total: 0, running: false });
    const listed = await call<unknown[]>('listSnapshots', {});
    expect(listed).toHaveLength(snapshots);
    const started = Date.now();
    const first = await call<{ items: unknown[]; indexing: { indexed: number; total: number; running: boolean } }>('search', { pattern: 'carta 7', indexedOnly: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(first.indexing.total).toBe(snapshots);
    expect(first.indexing.indexed).toBeLessThan(snapshots);
    expect(first.indexing.running).toBe(true);

    // Stop: what is indexed stays, nothing more is indexed.
    await call('cancelIndexing', {});
    await new Promise((r) => setTimeout(r, 1500));
    const stopped = await call<{ indexed: number; running: boolean }>('indexStatus', {});
    expect(stopped.running).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call<{ indexed: number }>('indexStatus', {})).indexed).toBe(stopped.indexed);
    expect(stopped.indexed).toBeLessThan(snapshots);

    // The next search across all backups resumes; in the end every backup is searched.
    await call('search', { pattern: 'carta 7', indexedOnly: true });
    const deadline = Date.now() + 90_000;
    let status = await call<{ indexed: number; running: boolean }>('indexStatus', {});
    while (status.indexed < snapshots && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = await call('indexStatus', {});
    }
    expect(status.indexed).toBe(snapshots);
    const all = await call<{ items: Array<{ name: string; snapshotCount?: number }> }>('search', { pattern: 'carta 7', indexedOnly: true });
    expect(all.items.map((i) => i.name)).toEqual(['Carta 7.txt']);
    expect(all.items[0]!.snapshotCount).toBe(snapshots);
  }, 120_000);

  it('decides before a restore starts whether the destination is allowed, in plain words', async () => {
    const [snap] = await call<Array<{ id: string }>>('listSnapshots', {});
    const paths = [join(docs, 'Carta 1.txt')];
    const refused = await call<{ problem: { field: string; message: string } | null }>('checkRestore', { snapshotId: snap!.id, paths, destination: { kind: 'folder', path: '/etc' } });
    expect(refused.problem?.field).toBe('destination');
    expect(refused.problem?.message).toMatch(/^Não é possível colocar os arquivos restaurados em \/etc/);
    expect(refused.problem?.message).not.toMatch(/Confira os valores informados/);
    expect((await call<{ problem: unknown }>('checkRestore', { snapshotId: snap!.id, paths, destination: { kind: 'folder', path: join(home, 'Recuperados') } })).problem).toBeNull();
    expect((await call<{ problem: unknown }>('checkRestore', { snapshotId: snap!.id, paths, destination: { kind: 'original' } })).problem).toBeNull();
    const outside = await call<{ problem: { field: string } | null }>('checkRestore', { snapshotId: snap!.id, paths: ['/etc/passwd'], destination: { kind: 'original' } });
    expect(outside.problem?.field).toBe('paths');
  });

  it('gives the technician diagnostics without any secret value', async () => {
    const diagnostics = await call<{ restic: { version: string | null; capabilities: string[] }; log: string[]; paths: Array<{ name: string }> }>('getDiagnostics', { logLines: 500 });
    expect(diagnostics.restic.version).toMatch(/^0\.18\./);
    expect(diagnostics.restic.capabilities).toContain('restoreJson');
    expect(diagnostics.paths.map((p) => p.name)).toEqual(expect.arrayContaining(['config', 'data', 'cache', 'log']));
    expect(diagnostics.log.length).toBeGreaterThan(0);
    expect(JSON.stringify(diagnostics)).not.toContain(repoPassword);
  });
});
