// Field adoption, the acceptance test of issue 10: a Batatais machine as it is today. Its Backrest
// config.json, exactly as Backrest 1.10.1 (version 4) or 1.14.1 (version 6) writes it, with the REST
// credentials in the repository env, points at a repository that Backrest has been backing up
// through nginx TLS + Basic Auth into the real rest-server, shared with another machine of the same
// department. On each restic version the real `cofre` CLI must import the file untouched, back up,
// list the plan's snapshots like Backrest does, and export a file that Backrest version accepts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import {
  generateTree, makeTempDir, rawRestic, removeDir, repoRoot, resticBinaries, restRepoEnv, startRestServer, startTlsProxy,
  type RestServer, type TlsProxy, type TreeInfo,
} from '../fixtures/index.js';

const NGINX_USER = { user: 'batatais', password: 'Nginx-Basic-Senha-77' };
const OTHER_INSTANCE = 'pc-outro-setor';

interface FieldConfig {
  name: string;
  file: string;
  /** The `version` the file has, and must keep when exported for the Backrest that wrote it. */
  version: 4 | 6;
  /** `--backrest` target naming the Backrest release that wrote the file. */
  writtenBy: '1.10' | 'current';
  instance: string;
  repoId: string;
  planId: string;
  repoPassword: string;
}

const fieldConfigs: FieldConfig[] = [
  {
    name: 'Backrest 1.10.1 config (version 4)', file: 'backrest-1.10.1-v4.json', version: 4, writtenBy: '1.10',
    instance: 'pc-compras-01', repoId: 'compras', planId: 'documentos', repoPassword: 'Compras-Repo-Senha-2024',
  },
  {
    name: 'Backrest 1.14.1 config (version 6)', file: 'backrest-1.14.1-v6.json', version: 6, writtenBy: 'current',
    instance: 'pc-financeiro-02', repoId: 'financeiro', planId: 'documentos', repoPassword: 'Financeiro-Repo-Senha-2025',
  },
];

interface RawSnapshot {
  id: string;
  tags?: string[];
  paths: string[];
}

type Json = Record<string, unknown>;

let work: string;
let upstream: RestServer;
let proxy: TlsProxy;
let source: TreeInfo;

beforeAll(async () => {
  work = await makeTempDir('field-adoption');
  // Production: rest-server --no-auth behind nginx, which does TLS and Basic Auth.
  upstream = await startRestServer();
  proxy = await startTlsProxy({ upstream, users: { [NGINX_USER.user]: NGINX_USER.password } });
  source = await generateTree(join(work, 'home', 'ana', 'Documentos'), { files: 30, dirs: 3, seed: 17 });
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  if (work) await removeDir(work);
});

/**
 * What Backrest `target` refuses to start with, after its own migrations, as far as this config's
 * content goes (validate.go, migrations 004-006; facts in REFERENCE.md). Empty when it would load.
 */
function backrestRefusals(config: Json, target: '1.10' | 'current'): string[] {
  const problems: string[] = [];
  const latest = target === '1.10' ? 4 : 6;
  if (typeof config.version !== 'number' || config.version > latest) problems.push(`version ${String(config.version)} is greater than the latest known (${latest})`);
  const instance = config.instance;
  if (typeof instance !== 'string' || instance === '' || instance.length > 50) problems.push(`instance ${JSON.stringify(instance)}`);
  const repos = (config.repos ?? []) as Json[];
  for (const repo of repos) {
    if (String(repo.id).startsWith('_x_')) problems.push(`repo id ${String(repo.id)} is reserved`);
    const guid = typeof repo.guid === 'string' ? repo.guid : '';
    if (guid && repo.autoInitialize === true) problems.push(`repo ${String(repo.id)}: guid together with autoInitialize`);
    if (!guid && repo.autoInitialize !== true) problems.push(`repo ${String(repo.id)}: neither guid nor autoInitialize`);
    if (guid && !/^[0-9a-f]{64}$/.test(guid)) problems.push(`repo ${String(repo.id)}: guid ${guid}`);
    const prune = repo.prunePolicy as Json | undefined;
    if (prune && 'maxUnusedBytes' in prune && typeof prune.maxUnusedBytes !== 'string') problems.push('int64 maxUnusedBytes is not a JSON string');
  }
  for (const plan of (config.plans ?? []) as Json[]) {
    if (String(plan.id).startsWith('_x_')) problems.push(`plan id ${String(plan.id)} is reserved`);
    if (!repos.some((r) => r.id === plan.repo)) problems.push(`plan ${String(plan.id)}: repo ${String(plan.repo)} not found`);
    if ('backupFlags' in plan) problems.push(`plan ${String(plan.id)}: backupFlags is not Backrest's spelling (backup_flags)`);
    const retention = plan.retention as Json | undefined;
    if (retention) {
      const bucketed = retention.policyTimeBucketed as Json | undefined;
      if (!('policyKeepLastN' in retention) && !bucketed && !('policyKeepAll' in retention)) problems.push(`plan ${String(plan.id)}: retention without a policy`);
      if (bucketed && !Object.values(bucketed).some((n) => typeof n === 'number' && n > 0)) problems.push(`plan ${String(plan.id)}: empty policyTimeBucketed`);
    }
    const clock = (plan.schedule as Json | undefined)?.clock;
    if (clock !== undefined && !/^CLOCK_[A-Z_]+$/.test(String(clock))) problems.push(`plan ${String(plan.id)}: clock ${String(clock)} is not an enum name`);
  }
  const auth = config.auth as Json | undefined;
  if (auth && auth.disabled !== true) {
    const users = (auth.users ?? []) as Json[];
    if (users.length === 0 || users.some((u) => typeof u.passwordBcrypt !== 'string' || u.passwordBcrypt === '')) problems.push('auth enabled without users with passwordBcrypt');
  }
  // 1.10 reads only ECDSA identities; 1.13+ only ed25519 ones (migration 006 runs from version 5 only).
  const keyId = ((config.sync as Json | undefined)?.identity as Json | undefined)?.keyId;
  if (typeof keyId === 'string') {
    if (target === '1.10' && !keyId.startsWith('ecdsa.')) problems.push(`multihost identity ${keyId} is not ECDSA`);
    if (target === 'current' && !keyId.startsWith('ed25519.')) problems.push(`multihost identity ${keyId} is not ed25519`);
  }
  return problems;
}

/** restic's `--time` format, in local time. */
function backrestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

describe.each(fieldConfigs)('$name', (field) => {
  describe.each(resticBinaries.map((b) => [b.label, b] as const))('restic %s', (label, restic) => {
    const repoPath = `${field.repoId}-${label}`;
    let dir: string;
    let configFile: string;
    let common: string[];
    let backrestSnapshot: string;
    let foreignSnapshot: string;
    let cofreSnapshot: string | undefined;
    let sourceText: string;

    const rawEnv = (): Record<string, string> => ({
      ...restRepoEnv(restic, proxy.repoUri(repoPath), NGINX_USER),
      RESTIC_PASSWORD: field.repoPassword,
      RESTIC_CACHE_DIR: join(dir, 'restic-cache'),
    });
    const raw = (args: string[]) => rawRestic(restic.bin, [...args, '--cacert', proxy.ca.caCert], rawEnv());
    const rawSnapshots = async (): Promise<RawSnapshot[]> => JSON.parse((await raw(['snapshots', '--json', '--no-lock'])).stdout) as RawSnapshot[];
    const cli = (args: string[]) => runCli([...common, ...args]);
    const exportTo = async (name: string, extra: string[]): Promise<{ code: number; text: string; json: Json }> => {
      const out = join(dir, name);
      const run = await cli(['config', 'export-backrest', out, ...extra]);
      expect(run.code, run.out + run.err).toBe(0);
      const text = await readFile(out, 'utf8');
      const json = JSON.parse(text) as Json;
      // Only an export of the imported configuration says anything.
      expect(((json.repos ?? []) as Json[]).map((r) => r.id)).toContain(field.repoId);
      expect(((json.plans ?? []) as Json[]).map((p) => p.id)).toContain(field.planId);
      return { code: run.code, text, json };
    };

    beforeAll(async () => {
      dir = await makeTempDir(`field-${field.version}-${label}`);
      common = ['--data-dir', join(dir, 'cofre'), '--restic', restic.bin, '--policy', join(dir, 'no-policy.json'), '--lang', 'en'];
      // What Backrest did on this machine before Cofre: made the repository and backed the plan up,
      // as Backrest runs restic; another machine of the department backs up into the same repository.
      await raw(['init']);
      // Yesterday's run: the plan's retention (one a day) keeps it beside today's on every restic
      // version (0.14 would forget an earlier snapshot of the same day; 0.16+ keep the oldest).
      const yesterday = backrestTime(new Date(Date.now() - 24 * 3600 * 1000));
      await raw(['backup', '--json', source.root, '--exclude-caches', '--time', yesterday, '--tag', `plan:${field.planId}`, '--tag', `created-by:${field.instance}`]);
      await raw(['backup', '--json', source.root, '--time', yesterday, '--host', OTHER_INSTANCE, '--tag', `plan:${field.planId}`, '--tag', `created-by:${OTHER_INSTANCE}`]);
      const before = await rawSnapshots();
      backrestSnapshot = before.find((s) => s.tags?.includes(`created-by:${field.instance}`))!.id;
      foreignSnapshot = before.find((s) => s.tags?.includes(`created-by:${OTHER_INSTANCE}`))!.id;
      const guid = (JSON.parse((await raw(['cat', 'config'])).stdout) as { id: string }).id;

      sourceText = (await readFile(join(repoRoot, 'test', 'fixtures', 'field', field.file), 'utf8'))
        .replaceAll('@@PORT@@', String(proxy.port))
        .replaceAll('@@REPO@@', repoPath)
        .replaceAll('@@GUID@@', guid)
        .replaceAll('@@CACERT@@', proxy.ca.caCert)
        .replaceAll('@@SOURCE@@', source.root);
      configFile = join(dir, 'config.json');
      await writeFile(configFile, sourceText);
    });

    afterAll(async () => {
      if (dir) await removeDir(dir);
    });

    it('config import-backrest takes the file as Backrest wrote it, without a manual edit', async () => {
      // A fresh Cofre has no instance of its own to keep: it adopts the file's, so the snapshots
      // stay tagged created-by:<the same instance> and Backrest's history continues.
      const imported = await cli(['config', 'import-backrest', configFile]);
      expect(imported.code, imported.out + imported.err).toBe(0);
      const validate = await cli(['config', 'validate']);
      expect(validate.code, validate.out + validate.err).toBe(0);
      const saved = await readFile(join(dir, 'cofre', 'config.json'), 'utf8');
      expect(saved).not.toContain(field.repoPassword);
      expect(saved).not.toContain(NGINX_USER.password);
      const config = JSON.parse(saved) as Json;
      expect(config.instance).toBe(field.instance);
      expect(config.version).toBe(field.version);
    });

    it('backup <plan> succeeds through nginx TLS + Basic Auth into rest-server, tagged as Backrest tags it', async () => {
      const run = await cli(['backup', field.planId, '--json']);
      expect(run.code, run.out + run.err).toBe(0);
      const finished = JSON.parse(run.out) as { status: string; snapshotId: string };
      expect(finished.status).toBe('success');
      const after = await rawSnapshots();
      expect(after).toHaveLength(3);
      const made = after.find((s) => s.id.startsWith(finished.snapshotId.slice(0, 8)));
      expect(made, JSON.stringify(after)).toBeDefined();
      expect(made!.tags).toEqual(expect.arrayContaining([`plan:${field.planId}`, `created-by:${field.instance}`]));
      expect(made!.paths).toEqual([source.root]);
      cofreSnapshot = made!.id;
    });

    it("snapshots lists the plan's snapshots: Backrest's earlier one and Cofre's", async () => {
      const run = await cli(['snapshots', '--plan', field.planId, '--json']);
      expect(run.code, run.out + run.err).toBe(0);
      const ids = (JSON.parse(run.out) as { id: string; planId: string | null }[]).map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining([backrestSnapshot, cofreSnapshot]));
    });

    it("snapshots does not count another machine's snapshot as this plan's (Backrest filters by created-by)", async () => {
      const run = await cli(['snapshots', '--plan', field.planId, '--json']);
      expect(run.code, run.out + run.err).toBe(0);
      const ids = (JSON.parse(run.out) as { id: string }[]).map((s) => s.id);
      expect(ids).not.toContain(foreignSnapshot);
      expect(ids.sort()).toEqual([backrestSnapshot, cofreSnapshot].sort());
    });

    it(`config export-backrest --backrest ${field.writtenBy} writes version ${field.version}, which that Backrest accepts`, async () => {
      const { json } = await exportTo('export-source.json', ['--backrest', field.writtenBy]);
      expect(json.version).toBe(field.version);
      expect(backrestRefusals(json, field.writtenBy)).toEqual([]);
      expect(json.instance).toBe(field.instance);
      const source = JSON.parse(sourceText) as Json;
      // Backrest's read-modify-write check: an export must not go back in modno.
      expect(Number(json.modno)).toBeGreaterThanOrEqual(Number(source.modno));
      const [repo] = json.repos as Json[];
      const [sourceRepo] = source.repos as Json[];
      expect(repo).toMatchObject({ id: field.repoId, uri: sourceRepo!.uri, guid: sourceRepo!.guid });
      expect((json.plans as Json[]).map((p) => [p.id, p.paths, p.backup_flags])).toEqual((source.plans as Json[]).map((p) => [p.id, p.paths, p.backup_flags]));
    });

    it('config export-backrest --backrest current writes version 6, which Backrest 1.13+ accepts', async () => {
      const { json } = await exportTo('export-current.json', ['--backrest', 'current']);
      expect(json.version).toBe(6);
      expect(backrestRefusals(json, 'current')).toEqual([]);
      expect(json.instance).toBe(field.instance);
    });

    it('a plain export keeps the version the file came with', async () => {
      const { json } = await exportTo('export-plain.json', []);
      expect(json.version).toBe(field.version);
      expect(backrestRefusals(json, field.writtenBy)).toEqual([]);
    });

    it('an export without secrets carries none (repository password, REST password, multihost private key)', async () => {
      const { text } = await exportTo('export-nosecrets.json', []);
      expect(text).not.toContain(field.repoPassword);
      expect(text).not.toContain(NGINX_USER.password);
      expect(text).not.toMatch(/-----BEGIN (EC )?PRIVATE/);
    });
  });
});
