// config.json damaged on disk (truncated, garbage, half-written by a killed writer) and a config
// write interrupted by a crash: the agent starts with the last good configuration, tells the user
// through getAppInfo().configProblem, and keeps backing up.
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { generateTree, makeTempDir, removeDir, resticBinary, startRestServer, type RestServer } from '../fixtures/index.js';
import { MemorySecretStore } from '../../electron/core/secrets/index.js';
import {
  backupNow, Capture, configWith, faultSecrets, planConfig, repoConfig, secretValues, startAgent, type AgentStatus,
} from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';
import { scanForSecrets } from '../support/secret-scan.js';

interface AppInfo {
  configured: boolean;
  configProblem: { code: string; message: string; cause?: string } | null;
}

describe('a damaged configuration file', () => {
  const restic = resticBinary('0.18');
  const rest = { user: faultSecrets.restUser, password: faultSecrets.restPassword };
  const capture = new Capture();
  // One secret store for the whole "machine": secrets survive restarts, as the real store does.
  const secrets = new MemorySecretStore();
  let server: RestServer;
  let dir: string;
  let dataDir: string;
  let goodText: string;

  const restart = () => startAgent({ dataDir, resticBin: restic.bin, capture, secrets, locale: 'pt-BR' });

  beforeAll(async () => {
    server = await startRestServer({ users: { [rest.user]: rest.password } });
    dir = await makeTempDir('faults-config');
    dataDir = join(dir, 'cofre');
    const source = join(dir, 'docs');
    await generateTree(source, { files: 15, seed: 4 });
    const rig = await startAgent({
      dataDir, resticBin: restic.bin, capture, secrets,
      config: configWith([repoConfig({ id: 'r', uri: server.repoUri('config-faults'), rest })], [planConfig('docs', 'r', [source])]),
    });
    try {
      // A second save through the contract, as the settings screen does: a newer good copy.
      const current = await rig.ok<{ config: { modno: number } & Record<string, unknown> }>('getConfig', {});
      await rig.ok('setConfig', { config: { ...current.config, plans: [planConfig('docs', 'r', [source], { excludes: ['*.tmp'] })] }, modno: current.config.modno });
      expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
    } finally {
      await rig.close();
    }
    goodText = await readFile(join(dataDir, 'config.json'), 'utf8');
  });

  afterAll(async () => {
    const scan = await scanForSecrets([capture], [dataDir], secretValues);
    await server?.close();
    if (dir) await removeDir(dir);
    expect(scan.leaks).toEqual([]);
    recordFigure('security', { name: 'secret scan: config damage', itemsScanned: scan.itemsScanned, filesScanned: scan.filesScanned, leaks: scan.leaks.length });
  });

  const damages: Array<[string, (good: string) => string | Buffer]> = [
    ['truncated to half', (good) => good.slice(0, Math.floor(good.length / 2))],
    ['emptied (0 bytes)', () => ''],
    ['overwritten with binary garbage', () => Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x7b, 0x22])],
    ['valid JSON but not a config (plans is a string)', (good) => JSON.stringify({ ...JSON.parse(good), plans: 'oops' })],
  ];

  it.each(damages)('%s: the last good config is used, the user is told, backups still work', async (what, damage) => {
    await writeFile(join(dataDir, 'config.json'), damage(goodText));
    const rig = await restart();
    try {
      const info = await rig.ok<AppInfo>('getAppInfo', {});
      expect(info.configured).toBe(true);
      expect(info.configProblem?.code).toBe('config.recovered');
      expect(info.configProblem?.message).toMatch(/cópia boa/); // translated (pt-BR)
      const status = await rig.ok<AgentStatus>('getStatus', {});
      expect(status.plans.map((p) => p.planId)).toEqual(['docs']);
      const config = await rig.ok<{ config: { plans: Array<{ excludes?: string[] }> } }>('getConfig', {});
      expect(config.config.plans[0]?.excludes).toEqual(['*.tmp']); // the newest good copy, not an older one
      expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
      // The damaged file is kept aside for the technician, never deleted.
      expect((await readdir(dataDir)).some((n) => n.startsWith('config.json.damaged-'))).toBe(true);
      recordFigure('faults', { name: `config.json ${what}`, injected: 1, survived: 1 });
    } finally {
      await rig.close();
      await writeFile(join(dataDir, 'config.json'), goodText);
    }
  });

  it('agent killed during a config write (stray temp file, target intact): no problem, the stray is cleaned', async () => {
    const stray = join(dataDir, `.tmp-config.json-99999-deadbeef`);
    await writeFile(stray, goodText.slice(0, 40));
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(stray, old, old);
    const rig = await restart();
    try {
      const info = await rig.ok<AppInfo>('getAppInfo', {});
      expect(info.configProblem).toBeNull();
      expect(info.configured).toBe(true);
      expect((await readdir(dataDir)).filter((n) => n.startsWith('.tmp-config.json-'))).toEqual([]);
      expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
      recordFigure('faults', { name: 'agent killed during a config write (temp file left)', injected: 1, survived: 1 });
    } finally {
      await rig.close();
    }
  });

  it('a half-written config.json (a writer killed without atomic rename) recovers like a truncated one', async () => {
    // What a non-atomic writer leaves: the new content cut at a block boundary.
    await writeFile(join(dataDir, 'config.json'), goodText.slice(0, Math.min(512, goodText.length - 5)));
    const rig = await restart();
    try {
      const info = await rig.ok<AppInfo>('getAppInfo', {});
      expect(info.configProblem?.code).toBe('config.recovered');
      expect((await backupNow(rig, 'docs')).finished.status).toBe('success');
      recordFigure('faults', { name: 'config.json half-written by a killed writer', injected: 1, survived: 1 });
    } finally {
      await rig.close();
      await writeFile(join(dataDir, 'config.json'), goodText);
    }
  });
});

describe('a damaged configuration file with no good copy (issue 15)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('faults-config-nocopy');
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  async function status(dataDir: string, lang: string, json = false) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--lang', lang, '--data-dir', dataDir, '--policy', join(dir, 'none.json'), ...(json ? ['--json'] : []), 'status'], { out: (t) => out.push(t), err: (t) => err.push(t) }, { PATH: process.env.PATH, HOME: dir });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('cofre status says it is damaged and where the copy is, exits 1, and sets the same content aside only once', async () => {
    const dataDir = join(dir, 'cofre');
    await mkdir(dataDir, { recursive: true });
    const damaged = '{"version": 6, "instance": "pc", "repos": [{"id": "r", "uri": "/srv/r", "password": "hand-typed-pass';
    await writeFile(join(dataDir, 'config.json'), damaged, { mode: 0o644 });
    const first = await status(dataDir, 'pt-BR');
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/danificado/);
    expect(first.err).not.toMatch(/não configurado/i);
    const copies = () => readdir(dataDir).then((names) => names.filter((n) => n.startsWith('config.json.damaged-')));
    const [copy] = await copies();
    expect(copy).toBeDefined();
    expect(first.err).toContain(join(dataDir, copy!));
    expect(await readFile(join(dataDir, copy!), 'utf8')).toBe(damaged);
    expect((await stat(join(dataDir, copy!))).mode & 0o777).toBe(0o600); // it holds a password
    for (let run = 0; run < 3; run += 1) {
      const again = await status(dataDir, 'en');
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/is damaged and no good copy was found/);
      expect(again.err).toContain(join(dataDir, copy!));
    }
    const json = await status(dataDir, 'en', true);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: { code: 'config.noGoodCopy' } });
    expect(await copies()).toEqual([copy]);
    // Different damage is a different copy: nothing the user typed is lost.
    await writeFile(join(dataDir, 'config.json'), `${damaged}-edited`);
    expect((await status(dataDir, 'en')).code).toBe(1);
    expect(await copies()).toHaveLength(2);
    recordFigure('faults', { name: 'config.json damaged with no good copy (status says so, one copy kept)', injected: 5, survived: 5 });
  });
});
