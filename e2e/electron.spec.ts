// The tray app end to end, through Playwright's Electron support. Needs the Electron binary, which
// cannot be downloaded on the CI machines: there the whole file is reported as skipped with the
// reason. Drives the tray through the COFRE_E2E test hooks (Playwright cannot click a tray menu).
// Build first: renderer (Vite) and `npx tsx scripts/build-electron.ts`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { generateTree, resticBinary, startRestServer } from '../test/fixtures/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const binary = require('electron') as unknown as string; // the package exports the binary path
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null; // "Electron failed to install correctly": no binary was downloaded
  }
}

const binary = electronBinary();
const mainBundle = path.join(root, 'dist', 'electron', 'main', 'index.js');
if (!binary) {
  // Said out loud, not only as a skip annotation: a reader of the CI log must see why the tray app was not tested.
  console.warn('[e2e electron] SKIPPED: no Electron binary on this machine (its download was unreachable at `npm ci`, or ELECTRON_SKIP_BINARY_DOWNLOAD=1). The tray app specs run wherever the binary exists.');
}
test.skip(!binary, 'Electron binary not installed (download unreachable or skipped): the tray app cannot be launched here');
test.skip(!existsSync(mainBundle), 'dist/electron/main/index.js missing: run `npx tsx scripts/build-electron.ts` first');

interface Hooks {
  trayMenu(): Array<{ id: string }>;
  trayHealth(): string;
  clickTrayItem(id: string): Promise<void>;
  openWindows(): string[];
}

let profile: string;
let app: ElectronApplication;

test.beforeEach(async () => {
  profile = mkdtempSync(path.join(os.tmpdir(), 'cofre-e2e-electron-'));
  writeFileSync(path.join(profile, 'policy.json'), '{}');
  app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [root, `--user-data-dir=${path.join(profile, 'chromium')}`],
    env: {
      ...process.env,
      COFRE_E2E: '1',
      COFRE_DATA_DIR: profile,
      COFRE_POLICY: path.join(profile, 'policy.json'),
      COFRE_RESTIC: process.env.COFRE_RESTIC ?? resticBinary('0.18').bin,
      LANG: 'pt_BR.UTF-8',
    },
  });
});

test.afterEach(async () => {
  await app?.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
});

const hooks = <T>(fn: (h: Hooks) => T | Promise<T>) =>
  app.evaluate(async (_electron, source) => {
    const h = (globalThis as unknown as { __cofreTest: Hooks }).__cofreTest;
    return (0, eval)(source)(h);
  }, fn.toString()) as Promise<T>;

test('a fresh install shows the not-configured tray and opens the status window', async () => {
  await expect.poll(() => hooks((h) => h.trayHealth())).toBe('not-configured');
  const ids = await hooks((h) => h.trayMenu().map((i) => i.id));
  expect(ids).toContain('open');
  expect(ids).not.toContain('backup');
  const status = await app.firstWindow();
  await expect(status).toHaveURL(/^app:\/\/cofre\/index\.html#\/status$/);
  expect(await status.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await status.evaluate(() => Object.keys((globalThis as unknown as { cofre: { api: object } }).cofre.api).length)).toBeGreaterThan(20);
});

test('quitting from the tray leaves no restic process behind', async () => {
  await hooks((h) => h.trayMenu());
  const pid = await app.evaluate(() => process.pid);
  const closed = app.waitForEvent('close');
  await hooks((h) => h.clickTrayItem('quit')).catch(() => undefined); // the app exits under us
  await closed;
  if (process.platform !== 'win32') {
    const children = (() => {
      try {
        return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    })();
    expect(children).toBe('');
  }
});

test('a backup started from the tray against the REST server succeeds', async () => {
  const server = await startRestServer({ users: { cofre: 'rest-pw-e2e' } });
  try {
    const documents = path.join(profile, 'Documentos');
    await generateTree(documents, { files: 30, seed: 3 });
    const config = {
      version: 6,
      instance: 'e2e-electron',
      repos: [{ id: 'servidor', uri: server.repoUri('e2e'), password: 'repo-pw-e2e', autoInitialize: true, env: ['RESTIC_REST_USERNAME=cofre', 'RESTIC_REST_PASSWORD=rest-pw-e2e'] }],
      plans: [{ id: 'documentos', repo: 'servidor', paths: [documents] }],
    };
    const status = await app.firstWindow();
    const imported = await status.evaluate(async (content) => {
      const bridge = (globalThis as unknown as { cofre: { api: { importBackrest(input: { content: string }): Promise<{ ok: boolean }> } } }).cofre;
      return bridge.api.importBackrest({ content });
    }, JSON.stringify(config));
    expect(imported.ok).toBe(true);
    await expect.poll(() => hooks((h) => h.trayMenu().map((i) => i.id))).toContain('backup');
    await hooks((h) => h.clickTrayItem('backup'));
    await expect.poll(() => hooks((h) => h.trayHealth()), { timeout: 60_000 }).toBe('ok');
  } finally {
    await server.close();
  }
});
