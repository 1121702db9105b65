// "Scope follows the real path, not the text" (issue 15): an end user whose restores may only
// land in their own folder points `--to` at a symbolic link to somewhere else, or replaces a
// parent folder of the original place by such a link. The restore must be refused with a clear
// message and write nothing outside. Real restic, a real REST server, the `cofre` CLI.
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../integration/run-cli.js';
import { hashTree, makeTempDir, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';
import { recordFigure } from '../support/figures.js';

const restic = resticBinaries[resticBinaries.length - 1]!;

describe(`restore scope follows links (restic ${restic.label})`, () => {
  let server: RestServer;
  let dir: string;
  let home: string;
  let outside: string;
  let common: string[];
  let previousHome: string | undefined;
  let snapshot: string;
  const tried: string[] = [];
  const held: string[] = [];
  const letter = () => join(home, 'Documentos', 'Cartas', 'carta.txt');

  beforeAll(async () => {
    server = await startRestServer();
    dir = await makeTempDir('restore-links');
    home = join(dir, 'home', 'ana');
    outside = join(dir, 'srv', 'fora');
    await mkdir(join(home, 'Documentos', 'Cartas'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'de-outro-setor.txt'), 'não é da ana\n');
    await writeFile(letter(), 'carta da ana\n');
    previousHome = process.env.HOME;
    process.env.HOME = home;
    common = ['--data-dir', join(dir, 'cofre'), '--restic', restic.bin, '--policy', join(dir, 'none.json')];
    const backrest = {
      version: 6,
      instance: 'pc-ana',
      repos: [{ id: 'docs', uri: server.repoUri('links'), password: 'repo-pw-7', autoInitialize: true }],
      plans: [{ id: 'docs', repo: 'docs', paths: [join(home, 'Documentos')], retention: { policyKeepAll: true } }],
    };
    await writeFile(join(dir, 'backrest.json'), JSON.stringify(backrest));
    expect((await runCli([...common, 'config', 'import-backrest', join(dir, 'backrest.json')])).code).toBe(0);
    const backup = await runCli([...common, 'backup', 'docs']);
    expect(backup.code, backup.out + backup.err).toBe(0);
    snapshot = (JSON.parse((await runCli([...common, 'snapshots', '--json'])).out) as Array<{ id: string }>)[0]!.id;
  });

  afterAll(async () => {
    process.env.HOME = previousHome;
    recordFigure('hardening', { name: 'restore scope: links to outside, dangling links, swapped parents', kind: 'scope', tried: tried.length, held: held.length });
    await server.close();
    await removeDir(dir);
  });

  /** One scope case: `check` must hold; counted for the figures table either way. */
  async function scopeCase(name: string, check: () => Promise<void>): Promise<void> {
    tried.push(name);
    await check();
    held.push(name);
  }

  it('refuses --to a link that leads outside the allowed folders, and writes nothing there', async () => {
    await scopeCase('--to link to outside', async () => {
      await symlink(outside, join(home, 'link2'));
      const before = await hashTree(outside);
      const result = await runCli([...common, 'restore', snapshot, letter(), '--to', join(home, 'link2')]);
      expect(result.code).toBe(1);
      expect(result.out + result.err).toMatch(/passa por um atalho que leva para .*fora.*, fora das pastas onde você pode restaurar/);
      expect(result.out + result.err).not.toMatch(/Error:|at .*\.ts:\d+/);
      expect(await hashTree(outside)).toEqual(before);
    });
  });

  it('refuses a not-yet-existing folder below such a link too', async () => {
    await scopeCase('--to link/new/folder', async () => {
      const before = await hashTree(outside);
      const result = await runCli([...common, 'restore', snapshot, letter(), '--to', join(home, 'link2', 'nova', 'pasta')]);
      expect(result.code).toBe(1);
      expect(result.out + result.err).toMatch(/atalho que leva para/);
      expect(await hashTree(outside)).toEqual(before);
    });
  });

  it('refuses --to a dangling link (its target would be created wherever it points)', async () => {
    await scopeCase('--to dangling link', async () => {
      await symlink(join(outside, 'ainda-nao-existe'), join(home, 'quebrado'));
      const before = await hashTree(outside);
      const result = await runCli([...common, 'restore', snapshot, letter(), '--to', join(home, 'quebrado')]);
      expect(result.code).toBe(1);
      expect(result.out + result.err).toMatch(/é um atalho \(link simbólico\) para outro lugar/);
      expect(await hashTree(outside)).toEqual(before);
    });
  });

  it('refuses --original when a parent folder was replaced by a link to outside', async () => {
    await scopeCase('--original through swapped parent', async () => {
      const cartas = join(home, 'Documentos', 'Cartas');
      await rename(cartas, join(home, 'Documentos', 'Cartas-antes'));
      await symlink(outside, cartas);
      try {
        const before = await hashTree(outside);
        const result = await runCli([...common, 'restore', snapshot, letter(), '--original']);
        expect(result.code).toBe(1);
        expect(result.out + result.err).toMatch(/atalho que leva para .*fora/);
        expect(await hashTree(outside)).toEqual(before);
      } finally {
        await removeDir(cartas).catch(() => undefined);
        await import('node:fs/promises').then((fs) => fs.unlink(cartas).catch(() => undefined));
        await rename(join(home, 'Documentos', 'Cartas-antes'), cartas);
      }
    });
  });

  it('still restores through a link that stays inside the home folder', async () => {
    await scopeCase('--to link inside home (allowed)', async () => {
      await mkdir(join(home, 'Restaurados'), { recursive: true });
      await symlink(join(home, 'Restaurados'), join(home, 'atalho-restaurados'));
      const result = await runCli([...common, 'restore', snapshot, letter(), '--to', join(home, 'atalho-restaurados')]);
      expect(result.code, result.out + result.err).toBe(0);
      expect(await readFile(join(home, 'Restaurados', 'carta.txt'), 'utf8')).toBe('carta da ana\n');
    });
  });

  it('says a file is in the way when the destination parent is a file, not that writing is refused', async () => {
    // A clear cause rather than a scope case: counted with the faults.
    {
      await writeFile(join(home, 'lista.txt'), 'uma lista\n');
      const result = await runCli([...common, 'restore', snapshot, letter(), '--to', join(home, 'lista.txt', 'sub')]);
      expect(result.code).toBe(1);
      expect(result.out + result.err).toMatch(/Há um arquivo no caminho: .*lista\.txt é um arquivo onde a restauração precisa de uma pasta/);
      expect(result.out + result.err).not.toMatch(/Verifique se você pode gravar/);
      expect(await readFile(join(home, 'lista.txt'), 'utf8')).toBe('uma lista\n');
    }
    recordFigure('hardening', { name: 'restore: a file in the way gets its own message', kind: 'fault', tried: 1, held: 1 });
  });
});
