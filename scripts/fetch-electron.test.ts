// A newcomer's `npm ci` on a machine that reaches only the npm registry: Electron's download
// fails, and the install must still succeed and say what that means.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function installer(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cofre-electron-'));
  dirs.push(dir);
  const file = join(dir, 'install.js');
  await writeFile(file, body);
  return file;
}

function fetchElectron(env: Record<string, string>) {
  const base = { ...process.env };
  delete base.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return run(process.execPath, [join(root, 'scripts', 'fetch-electron.mjs')], { env: { ...base, ...env } });
}

describe('npm ci without access to Electron’s download server', () => {
  it('npm itself never runs Electron’s downloading postinstall', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean>; scripts: Record<string, string> };
    expect(pkg.allowScripts.electron).toBe(false);
    // the native SQLite binding and esbuild still build
    expect(pkg.allowScripts['better-sqlite3']).toBe(true);
    expect(pkg.allowScripts.esbuild).toBe(true);
    expect(pkg.scripts.prepare).toContain('fetch-electron.mjs');
  });

  it('a failed download lets the install finish and says what still works', async () => {
    const failing = await installer("console.error('RequestError: getaddrinfo ENOTFOUND downloads.example'); process.exit(1);\n");
    const { stderr } = await fetchElectron({ COFRE_ELECTRON_INSTALLER: failing });
    expect(stderr).toContain('could not be downloaded (RequestError: getaddrinfo ENOTFOUND downloads.example)');
    expect(stderr).toContain('npm run serve');
  });

  it('a working download is used as is and prints nothing', async () => {
    const marker = join(await mkdtemp(join(tmpdir(), 'cofre-electron-')), 'ran');
    dirs.push(join(marker, '..'));
    const working = await installer(`require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ok');\n`);
    const { stderr } = await fetchElectron({ COFRE_ELECTRON_INSTALLER: working });
    expect(stderr).toBe('');
    expect(await readFile(marker, 'utf8')).toBe('ok');
  });
});
