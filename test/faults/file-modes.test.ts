// Regression tests (issue 15, "secrets of every kind" / "only folders Cofre created may be
// tightened"): `export-backrest --include-secrets` into an existing 0644 file wrote the passwords
// into that file (and every hard link to it) before a chmod; saving the config chmodded its parent
// folder to 0700, so `--config /tmp/config.json` as root turned the sticky world-writable /tmp
// into 0700. Every secret-bearing file Cofre writes is a new 0600 file renamed into place, and
// only folders Cofre itself creates are tightened.
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';
import { Agent } from '../../electron/core/agent/agent.js';
import { hashTechnicianPassword } from '../../electron/core/policy/technician.js';
import { FileSecretStore } from '../../electron/core/secrets/index.js';
import { recordFigure } from '../support/figures.js';

const repoPassword = 'file-modes-repo-password';
const hookUser = 'file-modes-hook-secret';
/** Webhook URL shapes that carry a credential (ntfy/Gotify/generic endpoints as people type them). */
const webhookShapes = [
  `https://ti:${hookUser}@hooks.example.org/cofre`,
  `ti:${hookUser}-schemeless@ntfy.example.org/backups`,
  `https://ntfy.example.org/backups?auth=${hookUser}-query`,
  `ntfy.example.org/backups?auth=${hookUser}-schemeless-query`,
  `https://hooks.example.org/cofre#token=${hookUser}-fragment`,
];
const secretShapes: string[] = [];
let dir: string;
const held: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cofre-file-modes-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  recordFigure('hardening', { name: 'secret-bearing files 0600, foreign folders untouched', kind: 'fault', tried: held.length, held: held.length });
  recordFigure('hardening', { name: 'webhook URL credential shapes kept out of a plain export', kind: 'secret', tried: secretShapes.length, held: secretShapes.length });
});

const modeOf = (path: string) => statSync(path).mode & 0o7777;

async function cofre(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const policy = args.includes('--policy') ? [] : ['--policy', join(dir, 'none.json')];
  const code = await main(['--lang', 'en', ...policy, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, { PATH: process.env.PATH, HOME: dir, ...env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function backrestFile(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({
    modno: 3, version: 6, instance: 'pc',
    repos: [{
      id: 'r', uri: '/srv/repo', password: repoPassword, guid: 'a'.repeat(64),
      hooks: webhookShapes.map((webhookUrl) => ({ conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl, method: 'POST' } })),
    }],
    plans: [{ id: 'docs', repo: 'r', paths: ['/srv/docs'], schedule: { disabled: true } }],
  }));
  return file;
}

/** Every regular file below `root` (Cofre's own and the test's) with its mode. */
function filesBelow(root: string): Array<{ file: string; mode: number }> {
  const found: Array<{ file: string; mode: number }> = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const stat = statSync(path);
    if (stat.isDirectory()) found.push(...filesBelow(path));
    else found.push({ file: path, mode: stat.mode & 0o777 });
  }
  return found;
}

describe.runIf(process.platform !== 'win32')('files that can hold a secret', () => {
  it('export-backrest --include-secrets into an existing 0644 file: a new 0600 file; a hard link to the old one gets nothing', async () => {
    const dataDir = join(dir, 'export');
    expect((await cofre(['--data-dir', dataDir, 'config', 'import-backrest', backrestFile('export-source.json')])).code).toBe(0);
    const target = join(dir, 'export-target.json');
    const link = join(dir, 'export-target-link.json');
    writeFileSync(target, '{"old":"public"}\n');
    chmodSync(target, 0o644);
    linkSync(target, link);
    const r = await cofre(['--data-dir', dataDir, 'config', 'export-backrest', '--include-secrets', target]);
    expect(r.code).toBe(0);
    expect(modeOf(target)).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toContain(repoPassword);
    expect(readFileSync(link, 'utf8')).toBe('{"old":"public"}\n');
    held.push('export over 0644 file');
  });

  it('export-backrest without --include-secrets carries neither the password nor the webhook credential', async () => {
    const dataDir = join(dir, 'export');
    const target = join(dir, 'plain-export.json');
    expect((await cofre(['--data-dir', dataDir, 'config', 'export-backrest', target])).code).toBe(0);
    const text = readFileSync(target, 'utf8');
    expect(text).not.toContain(repoPassword);
    expect(text).not.toContain(hookUser);
    expect(modeOf(target)).toBe(0o600);
    // With --include-secrets every URL comes back exactly as it was typed.
    const full = join(dir, 'full-export.json');
    expect((await cofre(['--data-dir', dataDir, 'config', 'export-backrest', '--include-secrets', full])).code).toBe(0);
    for (const url of webhookShapes) expect(readFileSync(full, 'utf8')).toContain(JSON.stringify(url));
    secretShapes.push(...webhookShapes);
    held.push('plain export without webhook credentials');
  });

  it('config.json, secrets, import-undo and last-good copies that were 0644 are 0600 after the next save', async () => {
    const dataDir = join(dir, 'open-files');
    mkdirSync(dataDir, { recursive: true });
    // A file another user could read beside Cofre's (so the data dir is not tightened as a whole).
    writeFileSync(join(dataDir, 'README.txt'), 'not Cofre\'s');
    chmodSync(dataDir, 0o755);
    expect((await cofre(['--data-dir', dataDir, 'config', 'import-backrest', backrestFile('open-source.json')])).code).toBe(0);
    for (const { file } of filesBelow(dataDir)) if (!file.endsWith('README.txt')) chmodSync(file, 0o644);
    const again = backrestFile('open-source-2.json');
    expect((await cofre(['--data-dir', dataDir, 'config', 'import-backrest', '--replace', again])).code).toBe(0);
    const written = filesBelow(dataDir).filter(({ file }) => /config\.json|secrets|import-undo/.test(file));
    expect(written.map(({ file }) => file.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(['config.json', 'secrets.json', 'import-undo.json']));
    expect(written.some(({ file }) => file.includes(`backups${'/'}config.json.bak-`))).toBe(true);
    for (const { file, mode } of written) {
      if (file.includes('.bak-') && !readFileSync(file, 'utf8').includes('"modno": 5')) continue; // copies this save did not write
      expect({ file, mode }).toEqual({ file, mode: 0o600 });
    }
    expect(modeOf(dataDir)).toBe(0o755); // holds a file that is not Cofre's: not tightened
    held.push('0644 config files rewritten 0600');
  });
});

describe.runIf(process.platform !== 'win32')('Cofre\'s own sidecar files', () => {
  it('technician-attempts.json and plan-labels.json that were 0644 are 0600 after the next write', async () => {
    const dataDir = join(dir, 'sidecars');
    const policy = join(dir, 'sidecars-policy.json');
    writeFileSync(policy, JSON.stringify({ technicianPasswordHash: await hashTechnicianPassword('the-right-one-123') }));
    const wrong = { COFRE_TECHNICIAN_PASSWORD: 'not-the-password' };
    expect((await cofre(['--data-dir', dataDir, '--policy', policy, 'status'], wrong)).code).not.toBe(0);
    const attempts = join(dataDir, 'technician-attempts.json');
    chmodSync(attempts, 0o644);
    await cofre(['--data-dir', dataDir, '--policy', policy, 'status'], wrong);
    expect(modeOf(attempts)).toBe(0o600);

    const labelsDir = join(dir, 'labels');
    expect((await cofre(['--data-dir', labelsDir, 'config', 'import-backrest', backrestFile('labels-source.json')])).code).toBe(0);
    const agent = await Agent.create({ configPath: join(labelsDir, 'config.json'), policyPath: null, dataDir: labelsDir, cacheDir: join(labelsDir, 'cache'), locale: 'en', secrets: new FileSecretStore(join(labelsDir, 'secrets.json')) });
    try {
      const session = agent.createSession();
      expect((await agent.call('setPlanLabel', { planId: 'docs', label: 'Documentos' }, session)).ok).toBe(true);
      chmodSync(join(labelsDir, 'plan-labels.json'), 0o644);
      expect((await agent.call('setPlanLabel', { planId: 'docs', label: 'Documentos da prefeitura' }, session)).ok).toBe(true);
      expect(modeOf(join(labelsDir, 'plan-labels.json'))).toBe(0o600);
    } finally {
      await agent.shutdown(5_000);
    }
    held.push('sidecar files 0600');
  });
});

describe.runIf(process.platform !== 'win32')('folders Cofre did not create', () => {
  it('--config in a sticky world-writable folder (like /tmp): saving keeps it 1777', async () => {
    const shared = join(dir, 'shared-tmp');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const r = await cofre(['--data-dir', join(dir, 'sticky-data'), '--config', join(shared, 'config.json'), 'config', 'import-backrest', backrestFile('sticky-source.json')]);
    expect(r.code).toBe(0);
    expect(modeOf(shared)).toBe(0o1777);
    expect(modeOf(join(shared, 'config.json'))).toBe(0o600);
    expect(modeOf(join(shared, 'backups'))).toBe(0o700); // Cofre made this one
    held.push('sticky config folder untouched');
  });

  it('--config in an existing 0755 folder of the user: left 0755; a folder Cofre creates for it is 0700', async () => {
    const mine = join(dir, 'my-configs');
    mkdirSync(mine);
    chmodSync(mine, 0o755);
    expect((await cofre(['--data-dir', join(dir, 'mine-data'), '--config', join(mine, 'config.json'), 'config', 'import-backrest', backrestFile('mine-source.json')])).code).toBe(0);
    expect(modeOf(mine)).toBe(0o755);
    const fresh = join(dir, 'made-by-cofre', 'cofre');
    expect((await cofre(['--data-dir', join(dir, 'fresh-data'), '--config', join(fresh, 'config.json'), 'config', 'import-backrest', backrestFile('fresh-source.json')])).code).toBe(0);
    expect(modeOf(fresh)).toBe(0o700);
    expect(modeOf(join(dir, 'made-by-cofre'))).toBe(0o700);
    held.push('user folder untouched, own folder private');
  });
});
