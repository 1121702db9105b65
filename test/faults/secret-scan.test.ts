// The scan that the fault files run at their end must itself be able to fail: plant each kind of
// leak it claims to find and check it is reported (and that the secret store is not).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/index.js';
import { Capture, faultSecrets } from '../support/agent-rig.js';
import { scanForSecrets } from '../support/secret-scan.js';

describe('the secret scan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('secret-scan');
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('finds planted secrets in events, files, URL-encoded forms and SQLite rows, and skips the secret store', async () => {
    await mkdir(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs', 'cofre.log'), `restic: Head "http://u:${encodeURIComponent(faultSecrets.restPassword)}@host/"\n`);
    await writeFile(join(dir, 'secrets.json'), JSON.stringify({ p: faultSecrets.repoPassword }));
    const db = new Database(join(dir, 'history.sqlite'));
    db.exec('CREATE TABLE operations (message TEXT)');
    db.prepare('INSERT INTO operations VALUES (?)').run(`failed with ${faultSecrets.wrongPassword}`);
    db.close();
    const capture = new Capture();
    capture.add('event jobFinished', { error: { detail: `env ${faultSecrets.envSecret}` } });
    capture.add('event status', { ok: true });

    const scan = await scanForSecrets([capture], [dir], [faultSecrets.repoPassword, faultSecrets.restPassword, faultSecrets.envSecret, faultSecrets.wrongPassword]);
    const wheres = scan.leaks.map((l) => l.where);
    expect(wheres).toContain('event jobFinished');
    expect(wheres).toContain('file logs/cofre.log');
    expect(wheres.some((w) => w.includes('history.sqlite'))).toBe(true);
    expect(wheres.some((w) => w.includes('secrets.json'))).toBe(false);
    expect(scan.leaks.some((l) => l.secret.includes(encodeURIComponent(faultSecrets.restPassword)))).toBe(true);
    expect(scan.filesScanned).toBe(2);
  });
});
