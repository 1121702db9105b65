// "I need yesterday's version of this spreadsheet", from the command line: browse, find, versions
// and a restore to the original place that keeps today's file, against real restic and a real
// REST server. The user is an end user: scope is their home folder.
import { mkdir, readFile, readdir, writeFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { makeTempDir, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';

const run = runCli;

describe.each(resticBinaries)('restore from the CLI with restic $label', (restic) => {
  let server: RestServer;
  let dir: string;
  let home: string;
  let docs: string;
  let common: string[];
  let previousHome: string | undefined;
  const report = () => join(docs, 'Relatório Anual.txt');
  let snapshots: Array<{ id: string; time: string }>;

  beforeAll(async () => {
    server = await startRestServer({ users: { cofre: 'rest-pw-1' } });
    dir = await makeTempDir('cli-restore');
    home = join(dir, 'home', 'ana');
    docs = join(home, 'Documentos');
    await mkdir(docs, { recursive: true });
    previousHome = process.env.HOME;
    process.env.HOME = home;
    common = ['--data-dir', join(dir, 'cofre'), '--restic', restic.bin, '--policy', join(dir, 'none.json')];
    const backrest = {
      version: 6,
      instance: 'pc-ana',
      repos: [{ id: 'rh', uri: server.repoUri('rh'), password: 'repo-pw-1', env: ['RESTIC_REST_USERNAME=cofre', 'RESTIC_REST_PASSWORD=rest-pw-1'], autoInitialize: true }],
      plans: [{ id: 'docs', repo: 'rh', paths: [docs], retention: { policyKeepAll: true } }],
    };
    await writeFile(join(dir, 'backrest.json'), JSON.stringify(backrest));
    expect((await run([...common, 'config', 'import-backrest', join(dir, 'backrest.json')])).code).toBe(0);

    await writeFile(report(), 'versão de ontem\n');
    await utimes(report(), new Date('2026-11-25T10:00:00Z'), new Date('2026-11-25T10:00:00Z'));
    await writeFile(join(docs, 'notas.txt'), 'notas\n');
    expect((await run([...common, 'backup', 'docs'])).code).toBe(0);
    await writeFile(report(), 'versão de hoje, com mais texto\n');
    expect((await run([...common, 'backup', 'docs'])).code).toBe(0);
    snapshots = JSON.parse((await run([...common, 'snapshots', '--json'])).out);
  });

  afterAll(async () => {
    process.env.HOME = previousHome;
    await server.close();
    await removeDir(dir);
  });

  it('lists both snapshots, newest first', () => {
    expect(snapshots).toHaveLength(2);
    expect(snapshots[0]!.time > snapshots[1]!.time).toBe(true);
  });

  it('browses a folder of the older snapshot', async () => {
    const result = await run([...common, 'browse', snapshots[1]!.id.slice(0, 8), docs, '--json']);
    expect(result.code, result.err).toBe(0);
    const page = JSON.parse(result.out) as { entries: Array<{ name: string; size: number }> };
    expect(page.entries.map((e) => e.name).sort()).toEqual(['Relatório Anual.txt', 'notas.txt']);
    expect(page.entries.find((e) => e.name === 'Relatório Anual.txt')!.size).toBe(Buffer.byteLength('versão de ontem\n'));
  });

  it('finds the file by name without accents or case', async () => {
    const result = await run([...common, 'find', 'relatorio*', '--json']);
    expect(result.code, result.err).toBe(0);
    const hits = JSON.parse(result.out) as { items: Array<{ path: string }> };
    expect(hits.items.map((h) => h.path)).toContain(report());
  });

  it('lists the two versions of the document', async () => {
    const result = await run([...common, 'versions', report(), '--json']);
    expect(result.code, result.err).toBe(0);
    const versions = JSON.parse(result.out) as Array<{ size: number; snapshots: unknown[] }>;
    expect(versions).toHaveLength(2);
    expect(versions.map((v) => v.size).sort((a, b) => a - b)).toEqual([Buffer.byteLength('versão de ontem\n'), Buffer.byteLength('versão de hoje, com mais texto\n')].sort((a, b) => a - b));
  });

  it("restores yesterday's version to the original place and keeps today's", async () => {
    const result = await run([...common, 'restore', snapshots[1]!.id, report(), '--original']);
    expect(result.code, result.out + result.err).toBe(0);
    expect(await readFile(report(), 'utf8')).toBe('versão de hoje, com mais texto\n');
    const siblings = (await readdir(docs)).filter((name) => name.startsWith('Relatório Anual') && name !== 'Relatório Anual.txt');
    expect(siblings).toHaveLength(1);
    expect(siblings[0]).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await readFile(join(docs, siblings[0]!), 'utf8')).toBe('versão de ontem\n');
  });

  it('does not let an end user read outside their home folder', async () => {
    const result = await run([...common, 'browse', snapshots[0]!.id, '/etc', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).error.code).toBe('restore.error.outOfScope');
  });
});
