// The contract holds both ways: inputs are parsed at the boundary (Agent.call), and here every
// method's output and every event the agent emits, on a real run (real restic, the real REST
// server: back up, browse, search, restore, maintenance, import and undo, enroll), is checked
// against its schema in api.ts. A handler or event that drifts from its schema (a renamed field,
// a field the schema does not list, a wrong type) fails this test, so faces can trust the schemas.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api, apiEvents, apiMethods, type ApiMethod } from '../../electron/core/api.js';
import { generateTree, makeTempDir, removeDir, resticBinaries, startRestServer, type RestServer } from '../fixtures/index.js';
import { configWith, faultSecrets, planConfig, repoConfig, startAgent, type AgentRig } from '../support/agent-rig.js';

const restic = resticBinaries[resticBinaries.length - 1]!;

/** Drift = what the schema would reject, or drop: parsing must keep every field of the value. */
function drift(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const dropped = droppedFields(value, parsed.data, '');
  return dropped.length === 0 ? null : `fields the schema does not list: ${[...new Set(dropped)].join(', ')}`;
}

function droppedFields(value: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(value) && Array.isArray(parsed)) return value.flatMap((v, i) => droppedFields(v, parsed[i], `${path}[]`));
  if (!value || typeof value !== 'object' || !parsed || typeof parsed !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    if (v === undefined) return [];
    if (!(key in parsed)) return [`${path}${key}`];
    return droppedFields(v, (parsed as Record<string, unknown>)[key], `${path}${key}.`);
  });
}

describe(`the contract holds both ways on a real run (restic ${restic.label}, real REST server)`, () => {
  let server: RestServer;
  let dir: string;
  let source: string;
  let rig: AgentRig;
  const called = new Map<ApiMethod, boolean>();
  const drifted: string[] = [];

  /** Calls through the contract; an ok output is checked against the method's output schema. */
  async function call<T = unknown>(method: ApiMethod, input: unknown): Promise<{ ok: boolean; value: T }> {
    const result = await rig.call(method, input);
    if (result.ok) {
      const problem = drift(api[method].output, result.value);
      if (problem) drifted.push(`${method}: ${problem}`);
    }
    called.set(method, (called.get(method) ?? false) || result.ok);
    return { ok: result.ok, value: (result.ok ? result.value : result.error) as T };
  }

  beforeAll(async () => {
    server = await startRestServer();
    dir = await makeTempDir('contract');
    source = join(dir, 'home', 'ana', 'Documentos');
    await mkdir(source, { recursive: true });
    await generateTree(source, { files: 12, dirs: 2, depth: 2, seed: 7 });
    const policyPath = join(dir, 'policy.json');
    await writeFile(policyPath, JSON.stringify({ enrollment: { uriTemplate: server.repoUri('enrolled-{hostname}').replace(/\/$/, ''), repoId: 'cofre', planId: 'inscrito', paths: ['{home}/Documentos'] } }));
    rig = await startAgent({
      dataDir: join(dir, 'data'),
      resticBin: restic.bin,
      homeDir: join(dir, 'home', 'ana'),
      policyPath,
      config: configWith([repoConfig({ id: 'setor', uri: server.repoUri('setor') })], [planConfig('docs', 'setor', [source], { retention: { policyKeepLastN: 3 } })]),
    });
  }, 120_000);

  afterAll(async () => {
    await rig?.close();
    await server?.close();
    if (dir) await removeDir(dir);
  });

  it('every method answers in its output schema and every event fits its event schema', async () => {
    await call('getAppInfo', {});
    await call('setPreferences', { language: 'en' });
    await call('technicianLogin', { password: 'qualquer' });
    await call('getStatus', {});
    await call('previewSchedule', { schedule: { cron: '0 12 * * 1-5', clock: 'CLOCK_LOCAL' } });
    await call('previewRetention', { retention: { policyTimeBucketed: { daily: 7, weekly: 4 } } });

    const backup = await call<{ jobId: string }>('runBackup', { planId: 'docs' });
    await call('listJobs', {});
    const finished = await rig.finished(backup.value.jobId);
    expect(finished.status).toBe('success');
    if (finished.retentionJobId) await rig.finished(finished.retentionJobId);
    await call('setPlanLabel', { planId: 'docs', label: 'Documentos do setor' });
    await call('pause', { until: new Date(Date.now() + 3_600_000).toISOString() });
    await call('resume', {});
    await call('listHistory', {});

    const snapshots = await call<Array<{ id: string; paths: string[] }>>('listSnapshots', {});
    const snapshot = snapshots.value[0]!;
    const folder = await call<{ entries: Array<{ path: string; type: string }> }>('browse', { snapshotId: snapshot.id, path: source });
    const file = folder.value.entries.find((e) => e.type === 'file')!;
    await call('search', { pattern: file.path.split('/').pop()! });
    await call('search', { pattern: 'a', indexedOnly: true });
    await call('versions', { path: file.path });
    await call('missingFiles', { snapshotId: snapshot.id, path: source });
    await call('indexStatus', {});
    await call('cancelIndexing', {});
    const destination = { kind: 'folder' as const, path: join(dir, 'home', 'ana', 'Restaurado') };
    await call('checkRestore', { snapshotId: snapshot.id, paths: [file.path], destination });
    const restore = await call<{ jobId: string }>('restore', { snapshotId: snapshot.id, paths: [file.path], destination });
    expect((await rig.finished(restore.value.jobId)).status).toBe('success');

    const config = await call<{ config: { repos: unknown[] }; modno?: number }>('getConfig', {});
    const current = config.value.config as { modno: number; repos: Array<Record<string, unknown>> };
    await call('setConfig', { config: current, modno: current.modno });
    await call('setRepoSecrets', { repoId: 'setor' });
    await call('testConnection', { repo: current.repos[0] });
    await call('diagnoseConfig', {});
    await call('initRepo', { repoId: 'setor' });
    await call('unlockRepo', { repoId: 'setor' });
    const check = await call<{ jobId: string }>('checkRepo', { repoId: 'setor' });
    await rig.finished(check.value.jobId);
    const prune = await call<{ jobId: string }>('pruneRepo', { repoId: 'setor' });
    await rig.finished(prune.value.jobId);
    const cancelled = await call<{ jobId: string }>('checkRepo', { repoId: 'setor' });
    await call('cancelJob', { jobId: cancelled.value.jobId });
    await rig.finished(cancelled.value.jobId);

    const exported = await call<{ content: string }>('exportBackrest', { includeSecrets: true });
    const file2 = JSON.parse(exported.value.content) as { plans: Array<Record<string, unknown>> };
    const content = JSON.stringify({ ...file2, plans: [...file2.plans, { ...file2.plans[0], id: 'copia' }] });
    await call('previewImport', { content });
    await call('importBackrest', { content });
    await call('getImportUndo', {});
    await call('undoImport', {});

    await call('enroll', { password: 'Senha-Inscrita-31' });
    await call('getDiagnostics', { logLines: 50 });
    await call('readLog', { limit: 50 });
    // The fleet audit reads the repositories of <config dir>/fleet.json: here this machine's own.
    const passwordFile = join(dir, 'fleet-password');
    await writeFile(passwordFile, faultSecrets.repoPassword, { mode: 0o600 });
    await writeFile(join(dirname(rig.configPath), 'fleet.json'), JSON.stringify({
      version: 1,
      repositories: [{ id: 'setor', department: 'Setor', uri: server.repoUri('setor'), password: { file: passwordFile } }],
    }));
    await call('fleetReport', {});
    await call('technicianLogout', {});
    // The last status event of the burst above.
    await new Promise((resolve) => setTimeout(resolve, 200));

    for (const event of rig.events) {
      const problem = drift(apiEvents[event.type], event.data);
      if (problem) drifted.push(`event ${event.type}: ${problem}`);
    }
    expect(drifted).toEqual([]);
    // Every method of the contract was exercised with a successful answer, and every event type seen.
    expect(apiMethods.filter((m) => !called.get(m))).toEqual([]);
    expect(new Set(rig.events.map((e) => e.type))).toEqual(new Set(Object.keys(apiEvents)));
  }, 600_000);
});
