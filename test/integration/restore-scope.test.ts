// "The tray says my department folder is protected, so I can get yesterday's file back": an end
// user restores from a plan that backs up a folder outside their home, and still never sees
// another user's home that a plan happens to back up. Real restic, a real REST server, the CLI.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { makeTempDir, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';

const restic = resticBinaries[resticBinaries.length - 1]!;

describe(`restore scope follows the plans (restic ${restic.label})`, () => {
  let server: RestServer;
  let dir: string;
  let home: string;
  let setor: string;
  let homes: string;
  let common: string[];
  let previousHome: string | undefined;
  let setorSnapshot: string;
  let homesSnapshot: string;
  const order = () => join(setor, 'Compras', 'pedido-2026.txt');
  const secret = () => join(homes, 'bruno', 'segredo-bruno.txt');

  beforeAll(async () => {
    server = await startRestServer();
    dir = await makeTempDir('restore-scope');
    homes = join(dir, 'home');
    home = join(homes, 'ana');
    setor = join(dir, 'srv', 'setor');
    await mkdir(join(home, 'Documentos'), { recursive: true });
    await mkdir(join(homes, 'bruno'), { recursive: true });
    await mkdir(join(setor, 'Compras'), { recursive: true });
    await writeFile(join(home, 'Documentos', 'carta.txt'), 'carta da ana\n');
    await writeFile(secret(), 'só do bruno\n');
    await writeFile(order(), 'pedido de compra 2026\n');
    previousHome = process.env.HOME;
    process.env.HOME = home;
    common = ['--data-dir', join(dir, 'cofre'), '--restic', restic.bin, '--policy', join(dir, 'none.json')];
    const backrest = {
      version: 6,
      instance: 'pc-compras',
      repos: [{ id: 'setor', uri: server.repoUri('setor'), password: 'repo-pw-9', autoInitialize: true }],
      plans: [
        { id: 'compras', repo: 'setor', paths: [setor], retention: { policyKeepAll: true } },
        { id: 'perfis', repo: 'setor', paths: [homes], retention: { policyKeepAll: true } },
      ],
    };
    await writeFile(join(dir, 'backrest.json'), JSON.stringify(backrest));
    expect((await runCli([...common, 'config', 'import-backrest', join(dir, 'backrest.json')])).code).toBe(0);
    for (const plan of ['compras', 'perfis']) {
      const backup = await runCli([...common, 'backup', plan]);
      expect(backup.code, backup.out + backup.err).toBe(0);
    }
    const of = async (plan: string) => (JSON.parse((await runCli([...common, 'snapshots', '--plan', plan, '--json'])).out) as Array<{ id: string }>)[0]!.id;
    setorSnapshot = await of('compras');
    homesSnapshot = await of('perfis');
  });

  afterAll(async () => {
    process.env.HOME = previousHome;
    await server.close();
    await removeDir(dir);
  });

  it('browses the department folder a plan backs up, outside the home folder', async () => {
    const result = await runCli([...common, 'browse', setorSnapshot, join(setor, 'Compras'), '--json']);
    expect(result.code, result.out + result.err).toBe(0);
    expect((JSON.parse(result.out) as { entries: Array<{ name: string }> }).entries.map((e) => e.name)).toEqual(['pedido-2026.txt']);
  });

  it('finds a file there by name', async () => {
    const result = await runCli([...common, 'find', 'pedido*', '--json']);
    expect(result.code, result.err).toBe(0);
    const page = JSON.parse(result.out) as { items: Array<{ path: string }>; scopeLimited: boolean };
    expect(page.items.map((i) => i.path)).toEqual([order()]);
    expect(page.scopeLimited).toBe(true);
  });

  it('restores it to its original place', async () => {
    await rm(order());
    const result = await runCli([...common, 'restore', setorSnapshot, order(), '--original']);
    expect(result.code, result.out + result.err).toBe(0);
    expect(await readFile(order(), 'utf8')).toBe('pedido de compra 2026\n');
  });

  it("keeps another user's home hidden although a plan backs it up", async () => {
    const listing = await runCli([...common, 'browse', homesSnapshot, homes, '--json']);
    expect(listing.code, listing.out + listing.err).toBe(0);
    expect((JSON.parse(listing.out) as { entries: Array<{ name: string }> }).entries.map((e) => e.name)).toEqual(['ana']);

    const browse = await runCli([...common, 'browse', homesSnapshot, join(homes, 'bruno'), '--json']);
    expect(browse.code).toBe(1);
    expect((JSON.parse(browse.out) as { error: { code: string } }).error.code).toBe('restore.error.otherProfile');

    const find = await runCli([...common, 'find', 'segredo*']);
    expect(find.code).toBe(0);
    expect(find.out).toContain('Nada encontrado nas pastas que você pode restaurar');

    const restore = await runCli([...common, 'restore', homesSnapshot, secret(), '--to', join(home, 'copia')]);
    expect(restore.code).toBe(1);
    expect(restore.out + restore.err).toMatch(/na pasta de outro usuário deste computador/);
    expect(restore.out + restore.err).not.toMatch(/Confira os valores informados/);

    const whole = await runCli([...common, 'restore', homesSnapshot, homes, '--to', join(home, 'copia')]);
    expect(whole.code).toBe(1);
    expect(whole.out + whole.err).toMatch(/também guarda pastas de outros usuários/);

    // Their own folder inside that plan is theirs.
    const own = await runCli([...common, 'browse', homesSnapshot, join(home, 'Documentos'), '--json']);
    expect(own.code, own.out + own.err).toBe(0);
  });

  it('lets a technician see everything', async () => {
    const listing = await runCli([...common, '--technician', 'browse', homesSnapshot, homes, '--json']);
    expect(listing.code, listing.out + listing.err).toBe(0);
    expect((JSON.parse(listing.out) as { entries: Array<{ name: string }> }).entries.map((e) => e.name).sort()).toEqual(['ana', 'bruno']);
  });

  it('narrows to the home folder when policy says so, and says who can help', async () => {
    const policy = join(dir, 'policy-home.json');
    await writeFile(policy, JSON.stringify({ restoreScope: 'home', branding: { supportContact: 'Suporte TI (ramal 2040)' } }));
    const narrowed = [...common.slice(0, -2), '--policy', policy];
    const browse = await runCli([...narrowed, 'browse', setorSnapshot, join(setor, 'Compras')]);
    expect(browse.code).toBe(1);
    expect(browse.err).toMatch(/fale com Suporte TI \(ramal 2040\)/);
    const find = JSON.parse((await runCli([...narrowed, 'find', 'pedido*', '--json'])).out) as { items: unknown[]; scopeLimited: boolean };
    expect(find).toMatchObject({ items: [], scopeLimited: true });
  });
});
