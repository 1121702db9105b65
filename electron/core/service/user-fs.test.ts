// The moves of a service restore are made by a child running as the requesting user: what the
// kernel lets that user do, nothing more, however a folder is swapped between check and move.
// Needs root (it creates a real OS user and group); skipped, and says so, otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeRestored, type PlaceFs } from '../restore/place.js';
import { openJournals, PlacementJournal, readJournals } from '../restore/placement-journal.js';
import { recoverInterruptedPlacements } from '../restore/placement-recovery.js';
import { helperCommand, UserFs, userFsFor, type FsUser } from './user-fs.js';

const isRoot = process.getuid?.() === 0;
const canAddUsers = existsSync('/usr/sbin/useradd') && existsSync('/usr/sbin/groupadd');
const skipReason = !isRoot ? 'needs root (runs a child as another OS user)' : !canAddUsers ? 'needs useradd and groupadd' : null;
if (skipReason) console.warn(`user-fs.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('changes made as the user of the restore', () => {
  const tag = randomBytes(3).toString('hex');
  const groupName = `cfdept${tag}`;
  let user: FsUser;
  let deptGid: number;
  let dir: string;
  let home: string;
  let rootOnly: string;

  beforeAll(async () => {
    execFileSync('groupadd', [groupName]);
    deptGid = Number(execFileSync('getent', ['group', groupName]).toString().split(':')[2]);
    const name = `cfu${tag}`;
    execFileSync('useradd', ['-M', '-N', '-s', '/bin/sh', '-G', groupName, name]);
    const [uid, gid] = [Number(execFileSync('id', ['-u', name]).toString()), Number(execFileSync('id', ['-g', name]).toString())];
    user = { uid, gid, username: name };
    dir = await mkdtemp(join(tmpdir(), 'cofre-userfs-'));
    await chmod(dir, 0o755);
    home = join(dir, 'home');
    await mkdir(home, { mode: 0o755 });
    await chown(home, uid, gid);
    // A folder the user may not write (like /etc): root's, 0755.
    rootOnly = join(dir, 'root-only');
    await mkdir(rootOnly, { mode: 0o755 });
  });

  afterAll(async () => {
    if (user) execFileSync('userdel', ['-f', user.username]);
    execFileSync('groupdel', [groupName]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates folders as the user and refuses what the user could not do', async () => {
    const fs = await UserFs.open(user);
    try {
      await fs.mkdir(join(home, 'Nova'));
      const made = await lstat(join(home, 'Nova'));
      expect({ uid: made.uid, gid: made.gid, mode: made.mode & 0o777 }).toEqual({ uid: user.uid, gid: user.gid, mode: 0o755 });
      await writeFile(join(home, 'Nova', 'carta.txt'), 'carta');
      const refused = await fs.rename(join(home, 'Nova', 'carta.txt'), join(rootOnly, 'carta.txt')).then(() => null, (e: unknown) => e);
      expect((refused as NodeJS.ErrnoException).code).toBe('EACCES');
      expect(await readdir(rootOnly)).toEqual([]);
      expect(((await fs.mkdir(join(rootOnly, 'x')).catch((e: unknown) => e)) as NodeJS.ErrnoException).code).toBe('EACCES');
    } finally {
      await fs.close();
    }
  });

  it('compares contents as the user: a file the user may not read never counts as the same', async () => {
    const mine = join(home, 'igual.txt');
    await writeFile(mine, 'conteudo');
    await chown(mine, user.uid, user.gid);
    const twin = join(home, 'gemeo.txt');
    await writeFile(twin, 'conteudo');
    await chown(twin, user.uid, user.gid);
    const secret = join(rootOnly, 'segredo.txt');
    await writeFile(secret, 'conteudo', { mode: 0o600 });
    const fs = await UserFs.open(user);
    try {
      expect(await fs.sameContent(mine, twin)).toBe(true);
      await writeFile(twin, 'conteudX');
      expect(await fs.sameContent(mine, twin)).toBe(false);
      // Same bytes, but root's 0600 file: as the user it cannot be read, so it is not "the same".
      expect(await fs.sameContent(mine, secret)).toBe(false);
    } finally {
      await fs.close();
      await rm(secret);
    }
  });

  it("keeps the user's groups, so a department folder shared through a group stays writable", async () => {
    const dept = join(dir, 'departamento');
    await mkdir(dept, { mode: 0o770 });
    await chown(dept, 0, deptGid);
    await chmod(dept, 0o2770);
    const fs = await UserFs.open(user);
    try {
      await fs.mkdir(join(dept, 'Planilhas'));
      expect((await lstat(join(dept, 'Planilhas'))).uid).toBe(user.uid);
    } finally {
      await fs.close();
    }
  });

  it('a folder swapped for a link after the check cannot carry a restored file where the user may not write', async () => {
    // The attacker wins every race: the swap happens after root's no-link check, right before the move.
    const dest = join(home, 'Destino');
    const staging = join(dir, 'staging');
    await mkdir(join(dest, 'docs'), { recursive: true });
    await mkdir(join(staging, 'docs'), { recursive: true });
    for (const name of ['a.txt', 'b.txt']) await writeFile(join(staging, 'docs', name), `restaurado ${name}`);
    for (const path of [dest, join(dest, 'docs'), staging, join(staging, 'docs'), join(staging, 'docs', 'a.txt'), join(staging, 'docs', 'b.txt')]) await chown(path, user.uid, user.gid);
    const asUser = await UserFs.open(user);
    let swapped = false;
    const racing: PlaceFs = {
      mkdir: (path) => asUser.mkdir(path),
      rmdir: (path) => asUser.rmdir(path),
      rename: async (from, to) => {
        if (!swapped && from.startsWith(staging)) {
          swapped = true;
          await rename(join(dest, 'docs'), join(dest, 'docs-away'));
          await symlink(rootOnly, join(dest, 'docs'));
        }
        await asUser.rename(from, to);
      },
    };
    try {
      const outcome = await placeRestored({
        items: [{ staged: join(staging, 'docs'), dest: join(dest, 'docs'), snapshotPath: '/docs' }],
        conflict: 'keep-both',
        snapshotTime: new Date('2026-11-30T10:00:00Z'),
        replacedFolder: join(dest, 'Substituidos'),
        replacedBase: dest,
        root: dest,
        fs: racing,
      }).then(() => 'placed', (e: unknown) => e);
      expect(outcome).not.toBe('placed');
      expect(await readdir(rootOnly)).toEqual([]);
    } finally {
      await asUser.close();
    }
  });

  it('a rollback after a kill is made as the user the placement ran as', async () => {
    const base = join(home, 'Recuperar');
    const staging = join(dir, 'staging-killed');
    const journals = join(dir, 'journals');
    await mkdir(base, { mode: 0o755 });
    await chown(base, user.uid, user.gid);
    // A placement moved one restored file into place, then the service was killed (no staging left).
    const placed = join(base, 'relatorio.txt');
    await writeFile(placed, 'copia restaurada');
    await chown(placed, user.uid, user.gid);
    const journal = await PlacementJournal.open(journals, { base, staging, replacedFolder: join(base, 'Substituidos'), owner: user });
    await journal.append([{ kind: 'move', from: join(staging, 'relatorio.txt'), to: placed }]);
    // As if written by a service that is gone now.
    openJournals.delete(journal.file);
    const header = (await readJournals(journals))[0]!;
    const stillAlive = () => false;
    // A service that cannot act as the user (here: refused) leaves the journal for a later start.
    const waiting = await recoverInterruptedPlacements(journals, { isAlive: stillAlive, fsFor: () => Promise.reject(new Error('no such user')) });
    expect(waiting).toEqual([]);
    expect(await readFile(placed, 'utf8')).toBe('copia restaurada');
    expect((await readJournals(journals)).map((j) => j.file)).toEqual([header.file]);

    const asWho: number[] = [];
    const done = await recoverInterruptedPlacements(journals, {
      isAlive: stillAlive,
      fsFor: async (owner) => {
        asWho.push(owner.uid);
        return userFsFor(owner);
      },
    });
    expect(asWho).toEqual([user.uid]);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ removed: 1, leftovers: [] });
    expect(existsSync(placed)).toBe(false);
    expect(await readJournals(journals)).toEqual([]);
  });

  it('a helper that never answers is given up on, with a clear error', async () => {
    const hangs = join(dir, 'hangs.sh');
    await writeFile(hangs, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
    const started = Date.now();
    const error = await UserFs.open(user, { executable: hangs, readyMs: 500 }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'service.restore.asUserFailed' });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a helper that dies is reported, never hangs the restore', async () => {
    const fs = await UserFs.open(user);
    const pid = (fs as unknown as { child: { pid: number } }).child.pid;
    process.kill(pid, 'SIGKILL');
    const error = await fs.mkdir(join(home, 'Depois')).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/restore helper .* ended/);
    await fs.close();
  });
});

describe('how the helper is started', () => {
  const who = { username: 'ana', uid: 1001, gid: 1002 };

  it('is `node -e` under node, and the Cofre binary itself (runAsNode fuse off) when packaged', () => {
    const node = helperCommand(who, { execPath: '/usr/bin/node', electron: false, platform: 'linux' });
    expect(node.command).toBe('/usr/bin/node');
    expect(node.args[0]).toBe('-e');
    expect(node.args.slice(2)).toEqual(['ana', '1001', '1002']);
    expect(helperCommand(who, { execPath: '/opt/Cofre/cofre', electron: true, platform: 'linux' }))
      .toEqual({ command: '/opt/Cofre/cofre', args: ['--no-sandbox', '--ozone-platform=headless', 'service', 'user-fs-helper', 'ana', '1001', '1002'] });
  });

  it.skipIf(skipReason !== null)('`cofre service user-fs-helper` (what the packaged app runs) drops to the user like `node -e`', () => {
    const out = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'bin', 'cofre.mjs'), 'service', 'user-fs-helper', 'nobody', '65534', '65534'], {
      input: `${JSON.stringify({ id: 1, op: 'mkdir', a: '/proc/cofre-not-here' })}\n`,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = out.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ ready: true, uid: 65534, gid: 65534 });
    expect(lines[1]).toMatchObject({ id: 1, ok: false });
    expect(out.status).toBe(0);
  });

  it.skipIf(isRoot)('is refused to anyone but root', async () => {
    await expect(UserFs.open(who)).rejects.toMatchObject({ code: 'service.restore.asUserFailed' });
  });
});
