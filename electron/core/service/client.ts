// A client of the service's socket, for the faces of one logged-in user (tray, CLI). Plain Node.
// It implements the same ApiHost the in-process Agent does, so a face does not care which it has;
// the session is the connection's (bound to the OS user by the service), so the `session`
// argument of call() is ignored.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { ApiEvent, ApiHost, ApiResult, SessionRef } from '../api.js';
import { CofreError } from '../errors.js';
import { authMethod, helloMethod, LineReader } from './protocol.js';
import { machinePaths, tokenFileFor } from './machine-paths.js';

export interface ServiceIdentity {
  uid: number;
  username: string;
  homeDir: string;
}

export class ServiceClient implements ApiHost {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: ApiResult<unknown>) => void>();
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private closed = false;
  identity: ServiceIdentity | null = null;

  private constructor(private readonly socket: Socket) {
    const reader = new LineReader();
    socket.on('data', (chunk: Buffer) => {
      const lines = reader.push(chunk);
      if (lines === 'too-long') return socket.destroy();
      for (const line of lines) this.onLine(line);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      const gone = new CofreError('service.disconnected').toPayload();
      for (const resolve of this.waiting.values()) resolve({ ok: false, error: gone });
      this.waiting.clear();
    });
  }

  /** Connects and proves this process's OS user with its token file (asks for one if missing). */
  static async connect(options: { socketPath: string; uid?: number; tokenFile?: string }): Promise<ServiceClient> {
    const uid = options.uid ?? process.getuid?.() ?? 0;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(options.socketPath, () => resolve(s));
      s.once('error', () => reject(new CofreError('service.unreachable', { params: { path: options.socketPath } })));
    });
    const client = new ServiceClient(socket);
    try {
      const tokenFile = options.tokenFile ?? tokenFileFor(options.socketPath, uid);
      if (!existsSync(tokenFile)) await client.expect(helloMethod, { uid });
      const token = (await readFile(tokenFile, 'utf8').catch(() => {
        throw new CofreError('service.noToken', { params: { path: tokenFile } });
      })).trim();
      client.identity = (await client.expect(authMethod, { uid, token })) as ServiceIdentity;
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  call(method: string, input: unknown, _session?: SessionRef): Promise<ApiResult<unknown>> {
    if (this.closed) return Promise.resolve({ ok: false, error: new CofreError('service.disconnected').toPayload() });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.write(JSON.stringify({ id, method, input: input ?? {} }) + '\n');
    });
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private async expect(method: string, input: unknown): Promise<unknown> {
    const result = await this.call(method, input);
    if (!result.ok) {
      const code = passedOn.find((known) => known === result.error.code) ?? 'service.refused';
      throw new CofreError(code, { detail: result.error.message });
    }
    return result.value;
  }

  private onLine(line: string): void {
    let frame: { id?: unknown; result?: ApiResult<unknown>; event?: ApiEvent };
    try {
      frame = JSON.parse(line) as typeof frame;
    } catch {
      return;
    }
    if (frame.event) {
      for (const listener of this.listeners) listener(frame.event);
      return;
    }
    if (typeof frame.id === 'number' && frame.result) {
      const resolve = this.waiting.get(frame.id);
      this.waiting.delete(frame.id);
      resolve?.(frame.result);
    }
  }
}

/** Refusals of the socket itself a face shows as they are. */
const passedOn = ['service.identityRefused', 'service.unknownUser', 'service.busy'] as const;

export type AgentConnectionKind = 'service' | 'in-process';

/**
 * Which agent the faces of this user use: the machine's service when its socket exists and this
 * user has (or can be given) a token, else their own in-process agent. COFRE_SERVICE_SOCKET
 * points at another socket; COFRE_SERVICE=off forces the in-process agent.
 */
export function serviceSocketToUse(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | null {
  if (env.COFRE_SERVICE === 'off' || process.platform === 'win32') return null;
  const socketPath = env.COFRE_SERVICE_SOCKET ?? machinePaths({}).socketPath;
  return exists(socketPath) ? socketPath : null;
}
