// Regression tests (issue 15, "status must never say em dia after a failed or interrupted attempt"),
// through `cofre status` on a real data dir: the history is what a crashed agent leaves behind (a
// row still "running" owned by a process that is gone), or what a clock that ran 5 h ahead wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { HistoryStore } from '../../electron/core/history/store.js';
import { configWith, planConfig, repoConfig, writeConfigFile } from '../support/agent-rig.js';
import { recordFigure } from '../support/figures.js';

let dir: string;
const held: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-status-truth-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  recordFigure('hardening', { name: 'status after failed / interrupted / clock-skewed attempts', kind: 'fault', tried: held.length, held: held.length });
});

/** A pid that certainly belonged to a process that is gone (it ran and exited). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim());
}

async function setUp(name: string, fill: (store: HistoryStore) => void, ownerPid?: number) {
  const dataDir = join(dir, name);
  const configPath = join(dataDir, 'config.json');
  await writeConfigFile(configPath, configWith([repoConfig({ id: 'nas', uri: 'rest:http://127.0.0.1:1/pc' })], [planConfig('docs', 'nas', ['/home/ana'])]));
  const store = new HistoryStore(join(dataDir, 'history.sqlite'), ownerPid ? { pid: ownerPid } : {});
  fill(store);
  store.close();
  return dataDir;
}

async function status(dataDir: string, lang: 'en' | 'pt-BR') {
  const out: string[] = [];
  const code = await main(['--lang', lang, '--data-dir', dataDir, '--policy', join(dir, 'none.json'), 'status'], { out: (t) => out.push(t), err: () => undefined }, { PATH: process.env.PATH, HOME: dir });
  const json: string[] = [];
  await main(['--data-dir', dataDir, '--policy', join(dir, 'none.json'), '--json', 'status'], { out: (t) => json.push(t), err: () => undefined }, { PATH: process.env.PATH, HOME: dir });
  return { code, text: out.join('\n'), json: JSON.parse(json.join('\n')) as { health: string; plans: Array<{ lastOutcome: string; lastSuccessAt: string | null; clockSkew?: boolean }> } };
}

const hour = 3_600_000;
function backup(store: HistoryStore, outcome: 'success' | 'failure', startedAt: number) {
  const id = store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt });
  store.finish(id, { status: outcome, endedAt: startedAt + 60_000, ...(outcome === 'failure' ? { cause: 'server-unreachable' as const, message: 'unreachable' } : {}) });
}

describe('cofre status after a failure and a killed backup', () => {
  it('stays failed and shows the interruption (not "Backups em dia", not exit 0)', async () => {
    const now = Date.now();
    const dataDir = await setUp('killed', (store) => {
      backup(store, 'success', now - 26 * hour);
      backup(store, 'failure', now - 2 * hour);
      // kill -9 during the next backup: the row stays "running", owned by a pid that is gone.
      store.record({ type: 'backup', planId: 'docs', repoId: 'nas', trigger: 'schedule', startedAt: now - hour });
    }, deadPid());
    for (const lang of ['pt-BR', 'en'] as const) {
      const r = await status(dataDir, lang);
      expect(r.code).toBe(1);
      expect(r.text).not.toMatch(/em dia|up to date/);
      expect(r.text).toMatch(lang === 'en' ? /last attempt interrupted/ : /última tentativa interrompida/);
      expect(r.json.health).toBe('failed');
      expect(r.json.plans[0]!.lastOutcome).toBe('interrupted');
    }
    held.push('failed then killed');
  });

  it('a success recorded 5 h ahead, then a failure: failed, and no "in 5 hours"', async () => {
    const now = Date.now();
    const dataDir = await setUp('skew', (store) => {
      backup(store, 'success', now + 5 * hour);
      backup(store, 'failure', now - 10 * 60_000);
    });
    const r = await status(dataDir, 'en');
    expect(r.code).toBe(1);
    expect(r.text).not.toMatch(/up to date|in 5 hours|in \d+ hours/);
    expect(r.text).toMatch(/recorded times were in the future/);
    expect(r.json.health).toBe('failed');
    expect(Date.parse(r.json.plans[0]!.lastSuccessAt!)).toBeLessThanOrEqual(Date.now());
    expect(r.json.plans[0]!.clockSkew).toBe(true);
    held.push('clock 5 h ahead');
  });
});
