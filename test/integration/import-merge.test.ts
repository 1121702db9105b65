// Issue 10, first bullet: Settings → Importar replaced the whole configuration (the working repo and
// plan vanished, the instance changed, the saved passwords of the other repos were deleted) and
// nothing could undo it. Through the real Agent (and the CLI on the same files): import merges,
// the preview shows what will happen without a secret, replace is explicit, and undo restores the
// previous config and secrets exactly.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { makeTempDir, removeDir, resticBinary } from '../fixtures/index.js';
import { configWith, startAgent, type AgentRig } from '../support/agent-rig.js';

const restic = resticBinary('0.18');

const working = configWith(
  [{ id: 'trabalho', uri: 'rest:https://backup.example/ana', password: 'senha-do-trabalho-1', env: ['RESTIC_REST_USERNAME=ana', 'RESTIC_REST_PASSWORD=rest-do-trabalho-2'], flags: [] }],
  [{ id: 'meus-docs', repo: 'trabalho', paths: ['/home/ana/Documentos'], schedule: { disabled: true }, hooks: [{ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionWebhook: { webhookUrl: 'https://hooks.example/ana' } }] }],
  'pc-ana',
);

/** A Backrest machine's config.json: another repo and plan, its own instance, secrets inside. */
const backrestFile = JSON.stringify({
  modno: 3,
  version: 6,
  instance: 'backrest-financeiro',
  repos: [{ id: 'servidor', uri: 'rest:https://backup.example/financeiro', password: 'senha-do-backrest-3', env: ['RESTIC_REST_USERNAME=fin', 'RESTIC_REST_PASSWORD=rest-do-backrest-4'], flags: [] }],
  plans: [{ id: 'documentos', repo: 'servidor', paths: ['/srv/financeiro'], schedule: { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' } }],
});
const secretsInPlay = ['senha-do-trabalho-1', 'rest-do-trabalho-2', 'senha-do-backrest-3', 'rest-do-backrest-4'];

interface GetConfig {
  config: { modno: number; instance: string; repos: Array<{ id: string; uri: string }>; plans: Array<{ id: string; hooks: unknown[] }> };
  secrets: Record<string, { password: boolean; restPassword: boolean }>;
}

describe('importing a Backrest file into a configured Cofre', () => {
  let dir: string;
  let rig: AgentRig;
  let secrets: FileSecretStore;

  const allSecrets = async () => Object.fromEntries(await Promise.all((await secrets.keys()).map(async (k) => [k, await secrets.get(k)] as const)));
  const withoutModno = (c: GetConfig['config']) => ({ ...c, modno: 0 });

  beforeEach(async () => {
    dir = await makeTempDir('import-merge');
    secrets = new FileSecretStore(join(dir, 'data', 'secrets.json'));
    rig = await startAgent({ dataDir: join(dir, 'data'), resticBin: restic.bin, config: working, secrets, hostname: 'pc-ana' });
  });

  afterEach(async () => {
    await rig.close();
    await removeDir(dir);
  });

  it('merges: the working repo, plan, instance and saved passwords survive; the preview came first and held no secret', async () => {
    const before = await rig.ok<GetConfig>('getConfig', {});
    const secretsBefore = await allSecrets();
    expect(Object.keys(secretsBefore)).toEqual(['repo/trabalho/env/RESTIC_REST_PASSWORD', 'repo/trabalho/password']);

    const preview = await rig.ok<{ repos: { added: Array<{ id: string }>; untouched: string[] }; plans: { added: string[]; untouched: string[] }; instance: { result: string; changes: boolean } }>(
      'previewImport', { content: backrestFile });
    expect(preview.repos.added.map((r) => r.id)).toEqual(['servidor']);
    expect(preview.repos.untouched).toEqual(['trabalho']);
    expect(preview.plans).toMatchObject({ added: ['documentos'], untouched: ['meus-docs'] });
    expect(preview.instance).toMatchObject({ result: 'pc-ana', changes: false });
    for (const secret of secretsInPlay) expect(JSON.stringify(preview)).not.toContain(secret);
    // The preview wrote nothing.
    expect(await rig.ok('getImportUndo', {})).toBeNull();
    expect((await rig.ok<GetConfig>('getConfig', {})).config.modno).toBe(before.config.modno);

    const result = await rig.ok<{ added: { repos: string[]; plans: string[] }; removed: { repos: string[] }; instance: string; undoAvailable: boolean; movedSecrets: number }>(
      'importBackrest', { content: backrestFile });
    expect(result).toMatchObject({ added: { repos: ['servidor'], plans: ['documentos'] }, removed: { repos: [] }, instance: 'pc-ana', undoAvailable: true, movedSecrets: 2 });

    const after = await rig.ok<GetConfig>('getConfig', {});
    expect(after.config.instance).toBe('pc-ana');
    expect(after.config.repos.map((r) => r.id)).toEqual(['trabalho', 'servidor']);
    expect(after.config.plans.map((p) => p.id)).toEqual(['meus-docs', 'documentos']);
    expect(after.config.plans[0]!.hooks).toHaveLength(1);
    expect(after.secrets.trabalho).toMatchObject({ password: true, restPassword: true });
    const secretsAfter = await allSecrets();
    expect(secretsAfter['repo/trabalho/password']).toBe('senha-do-trabalho-1');
    expect(secretsAfter['repo/trabalho/env/RESTIC_REST_PASSWORD']).toBe('rest-do-trabalho-2');
    expect(secretsAfter['repo/servidor/password']).toBe('senha-do-backrest-3');
    for (const secret of secretsInPlay) expect(JSON.stringify(after)).not.toContain(secret);

    // Undo: the config and the secrets come back exactly (the import's own secrets are gone).
    const info = await rig.ok<{ takenAt: string; mode: string; changedSince: boolean }>('getImportUndo', {});
    expect(info).toMatchObject({ mode: 'merge', changedSince: false });
    const undone = await rig.ok<{ modno: number; takenAt: string }>('undoImport', {});
    expect(undone.takenAt).toBe(info.takenAt);
    const restored = await rig.ok<GetConfig>('getConfig', {});
    expect(withoutModno(restored.config)).toEqual(withoutModno(before.config));
    expect(restored.config.modno).toBeGreaterThan(after.config.modno);
    expect(await allSecrets()).toEqual(secretsBefore);
    expect(await rig.ok('getImportUndo', {})).toBeNull();
    const again = await rig.call('undoImport', {});
    expect(again.ok ? null : again.error.code).toBe('import.noUndo');
  });

  it('replace is explicit, lists what it removes with their saved secrets, and undo brings them back exactly', async () => {
    const before = await rig.ok<GetConfig>('getConfig', {});
    const secretsBefore = await allSecrets();
    const preview = await rig.ok<{ repos: { removed: Array<{ id: string; secrets: string[] }> }; plans: { removed: string[] } }>('previewImport', { content: backrestFile, mode: 'replace' });
    expect(preview.repos.removed).toEqual([{ id: 'trabalho', secrets: ['RESTIC_REST_PASSWORD', 'password'] }]);
    expect(preview.plans.removed).toEqual(['meus-docs']);

    const result = await rig.ok<{ removed: { repos: string[]; plans: string[] } }>('importBackrest', { content: backrestFile, mode: 'replace' });
    expect(result.removed).toEqual({ repos: ['trabalho'], plans: ['meus-docs'] });
    const replaced = await rig.ok<GetConfig>('getConfig', {});
    expect(replaced.config.repos.map((r) => r.id)).toEqual(['servidor']);
    expect(Object.keys(await allSecrets()).filter((k) => k.startsWith('repo/'))).toEqual(['repo/servidor/env/RESTIC_REST_PASSWORD', 'repo/servidor/password']);

    // The undo copy is private and holds no secret; the saved secrets wait inside the secret store.
    const undoFile = join(dir, 'data', 'import-undo.json');
    expect((await stat(undoFile)).mode & 0o777).toBe(0o600);
    const { readFile } = await import('node:fs/promises');
    const undoText = await readFile(undoFile, 'utf8');
    for (const secret of secretsInPlay) expect(undoText).not.toContain(secret);

    await rig.ok('undoImport', {});
    const restored = await rig.ok<GetConfig>('getConfig', {});
    expect(withoutModno(restored.config)).toEqual(withoutModno(before.config));
    expect(await allSecrets()).toEqual(secretsBefore);
  });

  it('a repo of the file with a new password replaces the stored one, and undo puts the old one back', async () => {
    const secretsBefore = await allSecrets();
    const update = JSON.stringify({ version: 6, instance: 'x', repos: [{ id: 'trabalho', uri: 'rest:https://backup.example/ana', password: 'senha-nova-5', env: ['RESTIC_REST_USERNAME=ana'] }] });
    const preview = await rig.ok<{ repos: { updated: Array<{ id: string; fields: string[]; secrets: string[] }> } }>('previewImport', { content: update });
    expect(preview.repos.updated).toEqual([{ id: 'trabalho', fields: [], secrets: ['password'] }]);
    await rig.ok('importBackrest', { content: update });
    expect(await secrets.get('repo/trabalho/password')).toBe('senha-nova-5');
    // The file carried no REST password: the stored one stays.
    expect(await secrets.get('repo/trabalho/env/RESTIC_REST_PASSWORD')).toBe('rest-do-trabalho-2');
    await rig.ok('undoImport', {});
    expect(await allSecrets()).toEqual(secretsBefore);
  });

  it('a refused file writes nothing: no config change, no secret, no undo level', async () => {
    const before = await rig.ok<GetConfig>('getConfig', {});
    const secretsBefore = await allSecrets();
    const bad = JSON.stringify({ version: 6, instance: 'x', repos: [{ id: 'novo', uri: '/srv/novo', password: 'nao-pode-ficar' }], plans: [{ id: 'p', repo: 'nenhum', paths: ['/d'] }] });
    const result = await rig.call('importBackrest', { content: bad });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.fields?.[0]?.path).toBe('plans[0].repo');
    expect((await rig.ok<GetConfig>('getConfig', {})).config).toEqual(before.config);
    expect(await allSecrets()).toEqual(secretsBefore);
    expect(await rig.ok('getImportUndo', {})).toBeNull();
  });

  it('an import refused at save time (another process saved meanwhile) leaves secrets and undo as they were', async () => {
    const secretsBefore = await allSecrets();
    const { readFile } = await import('node:fs/promises');
    const onDisk = JSON.parse(await readFile(rig.configPath, 'utf8')) as { modno: number };
    await writeFile(rig.configPath, JSON.stringify({ ...onDisk, modno: onDisk.modno + 3 }, null, 2));
    const result = await rig.call('importBackrest', { content: backrestFile });
    expect(result.ok ? 'accepted' : result.error.code).toBe('error.conflict');
    expect(await allSecrets()).toEqual(secretsBefore);
    expect(await rig.ok('getImportUndo', {})).toBeNull();
  });

  it('the CLI previews with --dry-run, merges by default, replaces with --replace and undoes with undo-import', async () => {
    await rig.close();
    const file = join(dir, 'backrest.json');
    await writeFile(file, backrestFile);
    const base = ['--data-dir', join(dir, 'data'), '--restic', restic.bin];
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const lang = args.includes('--lang') ? [] : ['--lang', 'pt-BR'];
      const code = await main([...args, ...base, ...lang], { out: (t) => out.push(t), err: (t) => err.push(t) }, { ...process.env, COFRE_POLICY: join(dir, 'no-policy.json') });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    const dry = await run('config', 'import-backrest', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('1 repositório será adicionado');
    expect(dry.out).toContain('1 repositório continua como está');
    expect(dry.out).toContain('Nada foi alterado (--dry-run).');
    for (const secret of secretsInPlay) expect(dry.out + dry.err).not.toContain(secret);

    const merged = await run('config', 'import-backrest', file);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toContain('Importação concluída: 1 repositório adicionado, 1 plano adicionado.');
    const validate = await run('config', 'validate', '--json');
    expect(JSON.parse(validate.out)).toMatchObject({ repos: 2, plans: 2 });

    const replaced = await run('config', 'import-backrest', file, '--replace', '--json');
    expect(replaced.code, replaced.err).toBe(0);
    expect(JSON.parse(replaced.out)).toMatchObject({ removed: { repos: ['trabalho'], plans: ['meus-docs'] }, undoAvailable: true });

    const undo = await run('config', 'undo-import');
    expect(undo.code, undo.err).toBe(0);
    expect(undo.out).toContain('Importação desfeita');
    expect(JSON.parse((await run('config', 'validate', '--json')).out)).toMatchObject({ repos: 2, plans: 2 });
    const none = await run('config', 'undo-import', '--lang', 'en');
    expect(none.code).toBe(1);
    expect(none.err).toContain('There is no import to undo.');
  });
});

describe('importing on a machine with a policy', () => {
  let dir: string;
  let rig: AgentRig;

  beforeEach(async () => {
    dir = await makeTempDir('import-policy');
    const policyPath = join(dir, 'policy.json');
    await writeFile(policyPath, JSON.stringify({
      locked: ['plans.meus-docs', 'instance'],
      managed: { repos: [{ id: 'ti', uri: 'rest:https://ti.example/pc', password: 'senha-da-ti' }], plans: [] },
    }));
    rig = await startAgent({ dataDir: join(dir, 'data'), resticBin: restic.bin, config: working, hostname: 'pc-ana', policyPath });
  });

  afterEach(async () => {
    await rig.close();
    await removeDir(dir);
  });

  it('refuses to change a locked or managed item (preview and import), and allows the rest', async () => {
    const before = await rig.ok<GetConfig>('getConfig', {});
    const lockedPlan = JSON.stringify({ version: 6, instance: 'x', plans: [{ id: 'meus-docs', repo: 'trabalho', paths: ['/outro'] }] });
    const managedRepo = JSON.stringify({ version: 6, instance: 'x', repos: [{ id: 'ti', uri: '/srv/falso', password: 'p' }] });
    for (const content of [lockedPlan, managedRepo]) {
      for (const method of ['previewImport', 'importBackrest']) {
        const result = await rig.call(method, { content });
        expect(result.ok ? 'accepted' : result.error.code, method).toBe('error.lockedByPolicy');
      }
    }
    const instance = await rig.call('importBackrest', { content: backrestFile, takeInstance: true });
    expect(instance.ok ? 'accepted' : instance.error.code).toBe('error.lockedByPolicy');
    expect((await rig.ok<GetConfig>('getConfig', {})).config).toEqual(before.config);
    expect(await rig.ok('getImportUndo', {})).toBeNull();

    await rig.ok('importBackrest', { content: backrestFile });
    const after = await rig.ok<GetConfig>('getConfig', {});
    expect(after.config.repos.map((r) => r.id)).toEqual(['ti', 'trabalho', 'servidor']);
  });
});

