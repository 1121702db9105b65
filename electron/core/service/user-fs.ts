// The file-system changes of a restore for a user of the service, made by a child process that
// runs as that user. Root checks every folder before each move (restore/real-path.ts), but a user
// who owns the destination can swap a folder for a link between the check and the rename; made as
// the user, such a rename can only reach where that user could write anyway. The kernel is the
// guard, not the timing. One child per restore; requests go one at a time, in journal order.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { CofreError } from '../errors.js';
import { realFs, type PlaceFs } from '../restore/place.js';
import { chromiumArgs, processRuntime, type ServiceRuntime } from './units.js';

/** Who the changes are made as (a session owner of the service, or a placement journal's owner). */
export interface FsUser {
  uid: number;
  gid: number;
  username: string;
}

type Request = { id: number; op: 'rename' | 'mkdir' | 'rmdir' | 'same'; a: string; b?: string };
type Reply = { id: number; ok: true; same?: boolean } | { id: number; ok: false; code?: string; message: string } | { ready: true; uid: number; gid: number; groups: number[] };

/**
 * The child, as plain JavaScript so any node runs it without the app's files (`node -e`), and the
 * packaged app runs the very same text (`cofre service user-fs-helper`, see runUserFsHelper): its
 * runAsNode fuse is off, so `-e` is not available there. It is started as root only to take the
 * user's groups (initgroups, so shared department folders stay writable) before it drops to the
 * user's uid for good, checks it cannot get root back, then says who it is.
 * Free variables: `require`, `argv` = [username, uid, gid].
 */
const childBody = String.raw`
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const [name, uid, gid] = [argv[0], Number(argv[1]), Number(argv[2])];
process.initgroups(name, gid);
process.setgid(gid);
process.setuid(uid);
let regained = true;
try { process.setuid(0); } catch { regained = false; }
if (regained || process.getuid() !== uid || process.geteuid() !== uid || process.getegid() !== gid) process.exit(70);
process.umask(0o022);
const send = (reply) => process.stdout.write(JSON.stringify(reply) + '\n');
const sameContent = (a, b) => {
  const [sa, sb] = [fs.lstatSync(a), fs.lstatSync(b)];
  if (sa.isSymbolicLink() && sb.isSymbolicLink()) return fs.readlinkSync(a) === fs.readlinkSync(b);
  if (!sa.isFile() || !sb.isFile() || sa.size !== sb.size) return false;
  const [fa, fb] = [fs.openSync(a, 'r'), fs.openSync(b, 'r')];
  try {
    const [ba, bb] = [Buffer.alloc(1 << 16), Buffer.alloc(1 << 16)];
    for (;;) {
      const na = fs.readSync(fa, ba, 0, ba.length, null);
      const nb = fs.readSync(fb, bb, 0, bb.length, null);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
};
send({ ready: true, uid: process.getuid(), gid: process.getgid(), groups: process.getgroups() });
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  try {
    if (request.op === 'rename') fs.renameSync(request.a, request.b);
    else if (request.op === 'mkdir') fs.mkdirSync(request.a, { mode: 0o755 });
    else if (request.op === 'rmdir') fs.rmdirSync(request.a);
    else if (request.op === 'same') {
      let same = false;
      try { same = sameContent(request.a, request.b); } catch { same = false; }
      send({ id: request.id, ok: true, same });
      return;
    }
    else throw new Error('unknown operation');
    send({ id: request.id, ok: true });
  } catch (error) {
    send({ id: request.id, ok: false, code: error.code, message: String(error.message) });
  }
});
// The service closed the pipe: done (an Electron main process would not end on its own).
lines.on('close', () => process.exit(0));
`;

/** Runs the child's loop in this process (the packaged app's `service user-fs-helper`). */
export function runUserFsHelper(argv: readonly string[]): void {
  if (argv.length !== 3 || !/^\d+$/.test(argv[1] ?? '') || !/^\d+$/.test(argv[2] ?? '')) throw new Error('usage: service user-fs-helper <user> <uid> <gid>');
  // The same fixed text `node -e` runs; the user's name and ids are data, never code.
  new Function('require', 'argv', childBody)(createRequire(import.meta.url), argv);
}

/** How to start the child: `node -e`, or the Cofre binary itself when it is Electron. */
export function helperCommand(user: FsUser, runtime: Omit<ServiceRuntime, 'script'>): { command: string; args: string[] } {
  const who = [user.username, String(user.uid), String(user.gid)];
  if (!runtime.electron) return { command: runtime.execPath, args: ['-e', `const argv = process.argv.slice(1);${childBody}`, ...who] };
  return { command: runtime.execPath, args: [...chromiumArgs(runtime), 'service', 'user-fs-helper', ...who] };
}

/** How long the child may take to start and drop to the user (Electron starts slower than node). */
const READY_MS = 30_000;

export class UserFs implements PlaceFs {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (same: boolean) => void; reject: (error: Error) => void }>();
  private gone: Error | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  /**
   * Starts the child for `owner` and waits until it says it runs as them. Only root can do this
   * (the service); anything else is refused before a file is touched.
   */
  static async open(owner: FsUser, options: { executable?: string; readyMs?: number } = {}): Promise<UserFs> {
    if (process.getuid?.() !== 0) throw new CofreError('service.restore.asUserFailed', { detail: 'the service is not root' });
    const helper = helperCommand(owner, options.executable === undefined ? processRuntime() : { execPath: options.executable, electron: false, platform: process.platform });
    const child = spawn(helper.command, helper.args, {
      cwd: '/',
      // Nothing of the service's environment (NODE_OPTIONS, tokens) reaches the user's process.
      env: { PATH: '/usr/bin:/bin' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const fsOfUser = new UserFs(child);
    // A write to a child that just died fails here; its 'exit' rejects whoever was waiting.
    child.stdin.on('error', () => undefined);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString();
    });
    const ready = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          return;
        }
        if ('ready' in reply) {
          clearTimeout(silent);
          if (reply.uid === owner.uid && reply.gid === owner.gid) resolve();
          else reject(new Error(`child runs as ${reply.uid}:${reply.gid}`));
          return;
        }
        const waiter = fsOfUser.waiting.get(reply.id);
        if (!waiter) return;
        fsOfUser.waiting.delete(reply.id);
        if (reply.ok) waiter.resolve(reply.same === true);
        else waiter.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      });
      child.once('error', reject);
      // A child that never says who it is (a binary that hangs at start) must not hang the restore.
      const readyMs = options.readyMs ?? READY_MS;
      const silent = setTimeout(() => reject(new Error(`no answer in ${readyMs} ms`)), readyMs);
      silent.unref();
      child.once('exit', (code, signal) => {
        const error = new Error(`the restore helper for ${owner.username} ended (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ''}`);
        fsOfUser.gone = error;
        reject(error);
        for (const waiter of fsOfUser.waiting.values()) waiter.reject(error);
        fsOfUser.waiting.clear();
      });
    });
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw new CofreError('service.restore.asUserFailed', { detail: `${owner.username}: ${(error as Error).message}` });
    }
    return fsOfUser;
  }

  rename(from: string, to: string): Promise<void> {
    return this.request({ op: 'rename', a: from, b: to }).then(() => undefined);
  }

  mkdir(path: string): Promise<void> {
    return this.request({ op: 'mkdir', a: path }).then(() => undefined);
  }

  rmdir(path: string): Promise<void> {
    return this.request({ op: 'rmdir', a: path }).then(() => undefined);
  }

  sameContent(a: string, b: string): Promise<boolean> {
    return this.request({ op: 'same', a, b });
  }

  /** Ends the child; safe to call twice. */
  async close(): Promise<void> {
    if (this.gone || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private request(request: Omit<Request, 'id'>): Promise<boolean> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, ...request }) + '\n');
    });
  }
}

/** The placement's file-system changes, closable: what a restore or a rollback holds while it works. */
export type ClosableUserFs = PlaceFs & { close(): Promise<void> };

/**
 * The file-system changes for `owner`: made by this process when it already is that user (root
 * for a root session, or the user's own CLI), else by a child that runs as them.
 */
export async function userFsFor(owner: FsUser, options: { executable?: string } = {}): Promise<ClosableUserFs> {
  if (process.getuid?.() === owner.uid) return { ...realFs, close: async () => undefined };
  return UserFs.open(owner, options);
}
