// The service's local endpoint: the contract over a Unix domain socket, one connection per tray or
// CLI of a logged-in user. Anyone on the machine may connect (socket 0666); nothing but
// `service.hello` and `service.auth` works until the connection proved its OS user with the token
// only that user can read (core/service/user-tokens.ts). Each connection then gets its own agent
// session bound to that user: their restore scope, their files, their technician login.
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { ApiEvent, ApiHost, ApiResult, SessionRef } from '../core/api.js';
import type { SessionOwner } from '../core/agent/sessions.js';
import { CofreError } from '../core/errors.js';
import { exceedsJsonLimits, maxJsonDepth } from '../core/json-limits.js';
import { authInput, authMethod, helloInput, helloMethod, LineReader, maxAuthFailures, maxConnections, maxPendingCalls, requestFrame } from '../core/service/protocol.js';
import { UserTokens } from '../core/service/user-tokens.js';
import { usersDirFor } from '../core/service/machine-paths.js';
import { maxRequestValues } from '../server/server.js';

export interface SocketServerOptions {
  host: ApiHost;
  /** Root's own client is the machine's administrator: create its session as technician. */
  createSession: (owner: SessionOwner) => SessionRef;
  socketPath: string;
  lookup: (uid: number) => Promise<SessionOwner | null>;
  log?: (line: string) => void;
  /** A connection that has not proved its user by then is closed (it holds a slot). */
  authTimeoutMs?: number;
  /** Connections one OS user may hold, so one user cannot take every slot. */
  maxPerUser?: number;
}

export interface RunningSocketServer {
  socketPath: string;
  tokens: UserTokens;
  connections(): number;
  close(): Promise<void>;
}

interface Connection {
  socket: Socket;
  owner: SessionOwner | null;
  session: SessionRef | null;
  pending: number;
  authFailures: number;
  /** Restore jobs this connection started: only its own restores' events reach it. */
  restoreJobs: Set<string>;
  /** Restore events that arrived while one of its restore calls had not answered yet. */
  held: ApiEvent[];
  restoresStarting: number;
}

const defaultAuthTimeoutMs = 10_000;
const defaultMaxPerUser = 32;

export async function startSocketServer(options: SocketServerOptions): Promise<RunningSocketServer> {
  const tokens = new UserTokens({ dir: usersDirFor(options.socketPath), lookup: options.lookup });
  const runDir = dirname(options.socketPath);
  await mkdir(runDir, { recursive: true, mode: 0o755 });
  await chmod(runDir, 0o755);
  await tokens.reset();
  await rm(options.socketPath, { force: true });
  const connections = new Set<Connection>();

  const unsubscribe = options.host.subscribe((event) => {
    for (const conn of connections) if (conn.session) deliver(conn, event);
  });

  const server: Server = createServer((socket) => {
    if (connections.size >= maxConnections) {
      socket.end(reply(0, failure(new CofreError('service.busy'))));
      return;
    }
    const conn: Connection = { socket, owner: null, session: null, pending: 0, authFailures: 0, restoreJobs: new Set(), held: [], restoresStarting: 0 };
    connections.add(conn);
    const authTimer = setTimeout(() => {
      if (!conn.owner) socket.destroy();
    }, options.authTimeoutMs ?? defaultAuthTimeoutMs);
    authTimer.unref();
    const reader = new LineReader();
    socket.on('data', (chunk: Buffer) => {
      const lines = reader.push(chunk);
      if (lines === 'too-long') {
        socket.end(reply(0, failure(new CofreError('server.tooLarge'))));
        return;
      }
      for (const line of lines) if (line.trim() !== '') void handleLine(conn, line);
    });
    // A client that goes away (tray closed mid-restore) only loses its replies: its jobs run on.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(authTimer);
      connections.delete(conn);
    });
  });

  function send(conn: Connection, text: string): void {
    if (!conn.socket.destroyed && conn.socket.writable) conn.socket.write(text);
  }

  function deliver(conn: Connection, event: ApiEvent): void {
    const jobId = restoreJobOf(event);
    if (jobId !== null && !conn.restoreJobs.has(jobId)) {
      if (conn.restoresStarting > 0 && conn.held.length < 200) conn.held.push(event);
      return;
    }
    send(conn, JSON.stringify({ event }) + '\n');
  }

  async function handleLine(conn: Connection, line: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      send(conn, reply(0, failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'JSON' } }))));
      return;
    }
    if (exceedsJsonLimits(raw, maxJsonDepth, maxRequestValues)) {
      send(conn, reply(0, failure(new CofreError('server.tooComplex', { params: { max: maxRequestValues }, cause: 'invalid-input' }))));
      return;
    }
    const frame = requestFrame.safeParse(raw);
    if (!frame.success) {
      send(conn, reply(0, failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'frame' } }))));
      return;
    }
    const { id, method, input } = frame.data;
    if (conn.pending >= maxPendingCalls) {
      send(conn, reply(id, failure(new CofreError('service.busy'))));
      return;
    }
    conn.pending += 1;
    try {
      send(conn, reply(id, await answer(conn, method, input)));
    } catch (error) {
      options.log?.(`socket: unexpected ${error instanceof Error ? error.name : 'error'} in ${method}`);
      send(conn, reply(id, failure(new CofreError('error.internal', { cause: 'unknown' }))));
    } finally {
      conn.pending -= 1;
    }
  }

  async function answer(conn: Connection, method: string, input: unknown): Promise<ApiResult<unknown>> {
    if (method === helloMethod) {
      const parsed = helloInput.safeParse(input);
      if (!parsed.success) return failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'uid' } }));
      const user = await tokens.issue(parsed.data.uid);
      if (!user) return failure(new CofreError('service.unknownUser'));
      return { ok: true, value: { uid: user.uid } };
    }
    if (method === authMethod) {
      const parsed = authInput.safeParse(input);
      if (!parsed.success) return failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'token' } }));
      if (conn.owner) return failure(new CofreError('service.alreadyIdentified'));
      const user = tokens.verify(parsed.data.uid, parsed.data.token);
      if (!user) {
        conn.authFailures += 1;
        options.log?.(`socket: refused a client claiming uid ${parsed.data.uid} (wrong token)`);
        if (conn.authFailures >= maxAuthFailures) setImmediate(() => conn.socket.destroy());
        return failure(new CofreError('service.identityRefused'));
      }
      const held = [...connections].filter((other) => other.owner?.uid === user.uid).length;
      if (held >= (options.maxPerUser ?? defaultMaxPerUser)) return failure(new CofreError('service.busy'));
      conn.owner = user;
      conn.session = options.createSession(user);
      options.log?.(`socket: ${user.username} (uid ${user.uid}) connected`);
      return { ok: true, value: { uid: user.uid, username: user.username, homeDir: user.homeDir } };
    }
    if (!conn.session) return failure(new CofreError('service.identityRequired'));
    if (method !== 'restore') return options.host.call(method, input, conn.session);
    conn.restoresStarting += 1;
    try {
      const result = await options.host.call(method, input, conn.session);
      if (result.ok) conn.restoreJobs.add((result.value as { jobId: string }).jobId);
      return result;
    } finally {
      conn.restoresStarting -= 1;
      const held = conn.held;
      conn.held = [];
      // The reply goes out first (the caller awaits it before it listens for the job's events).
      setImmediate(() => {
        for (const event of held) if (conn.restoreJobs.has(restoreJobOf(event) ?? '')) send(conn, JSON.stringify({ event }) + '\n');
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Reachable by every local user: the token, not the file mode, says who is who.
  await chmod(options.socketPath, 0o666);

  return {
    socketPath: options.socketPath,
    tokens,
    connections: () => connections.size,
    close: async () => {
      unsubscribe();
      for (const conn of connections) conn.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(options.socketPath, { force: true });
    },
  };
}

function restoreJobOf(event: ApiEvent): string | null {
  if (event.type === 'jobQueued' || event.type === 'jobProgress' || event.type === 'jobFinished') {
    return event.data.kind === 'restore' ? event.data.jobId : null;
  }
  return null;
}

function reply(id: number, result: ApiResult<unknown>): string {
  return JSON.stringify({ id, result }) + '\n';
}

function failure(error: CofreError): ApiResult<never> {
  return { ok: false, error: error.toPayload() };
}
