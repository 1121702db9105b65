// Identity without trusting the client. Node cannot read a Unix socket's peer credentials
// (SO_PEERCRED), so the service proves who a client is by what only that OS user can read: a
// random token in `<run dir>/users/<uid>/token`, folder 0700 and file 0600 owned by the user. A
// client that presents the token of uid N is user N (or root, who can read everything anyway).
// Tokens live in the service's memory; the files only deliver them. New tokens on every start.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstat, mkdir, open, rm, chmod, chown, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { SessionOwner } from '../agent/sessions.js';

export interface UserTokensOptions {
  /** `<run dir>/users`: root-owned 0755, so no user can plant anything in it. */
  dir: string;
  lookup: (uid: number) => Promise<SessionOwner | null>;
}

const tokenBytes = 32;

export class UserTokens {
  private readonly tokens = new Map<number, { token: Buffer; user: SessionOwner }>();

  constructor(private readonly options: UserTokensOptions) {}

  /** Starts clean: tokens of an earlier run are worthless and their files are removed. */
  async reset(): Promise<void> {
    await rm(this.options.dir, { recursive: true, force: true });
    await mkdir(this.options.dir, { recursive: true, mode: 0o755 });
    await chmod(this.options.dir, 0o755);
    this.tokens.clear();
  }

  /**
   * Makes sure user `uid` has a token file it alone can read; returns the user, or null when the
   * system knows no such user. Asking for someone else's uid only writes a file that someone
   * else can read: it gives the asker nothing.
   */
  async issue(uid: number): Promise<SessionOwner | null> {
    const user = await this.options.lookup(uid);
    if (!user) return null;
    const known = this.tokens.get(uid);
    const folder = join(this.options.dir, String(uid));
    const file = join(folder, 'token');
    if (known && (await isPrivateFileOf(file, uid))) return known.user;
    await this.ownFolder(folder, user);
    const token = randomBytes(tokenBytes);
    // The user owns the folder and may have put a symlink or anything else where the file goes:
    // unlink never follows links, and O_EXCL|O_NOFOLLOW create only a new regular file.
    await unlink(file).catch(() => undefined);
    const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      await handle.writeFile(token.toString('hex') + '\n');
      await handle.chown(user.uid, user.gid);
      await handle.chmod(0o600);
    } finally {
      await handle.close();
    }
    this.tokens.set(uid, { token, user });
    return user;
  }

  /** The user whose token this is, when it is the token of the uid claimed; null otherwise. */
  verify(uid: number, token: string): SessionOwner | null {
    const known = this.tokens.get(uid);
    if (!known || !/^[0-9a-f]{64}$/.test(token)) return null;
    return timingSafeEqual(known.token, Buffer.from(token, 'hex')) ? known.user : null;
  }

  private async ownFolder(folder: string, user: SessionOwner): Promise<void> {
    const info = await lstat(folder).catch(() => null);
    // Only the service writes in `dir`, so anything there that is not the user's own folder is stale.
    if (info && (!info.isDirectory() || info.uid !== user.uid)) await rm(folder, { recursive: true, force: true });
    if (!info || !info.isDirectory() || info.uid !== user.uid) await mkdir(folder, { mode: 0o700 });
    await chown(folder, user.uid, user.gid);
    await chmod(folder, 0o700);
  }
}

async function isPrivateFileOf(file: string, uid: number): Promise<boolean> {
  const info = await lstat(file).catch(() => null);
  return info !== null && info.isFile() && info.uid === uid && (info.mode & 0o077) === 0;
}
