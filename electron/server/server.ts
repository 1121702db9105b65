// The contract over HTTP for `cofre serve`: POST /api/<method> with a JSON body, events over SSE at
// GET /api/events, and the built renderer as static files. Loopback only, a random token on every
// API call (Authorization header, never a cookie, so other sites cannot ride on it), Host header
// checked against loopback names, size-limited bodies. Malformed requests get a 4xx and the
// server keeps running.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as httpConventions, isApiMethod, type ApiHost, type ApiResult, type SessionRef } from '../core/api.js';
import { CofreError, toErrorPayload } from '../core/errors.js';
import { isAllowedHost, securityHeaders, statusForError, tokenMatches } from './security.js';
import { serveStatic } from './static-files.js';

export interface ServeOptions {
  host: ApiHost;
  /** Session for clients that send no x-cofre-session header (scripts, curl). */
  session: SessionRef;
  /** Creates the agent session behind each browser tab's x-cofre-session id. */
  createSession?: () => SessionRef;
  /** 0 = pick a free port. */
  port?: number;
  token?: string;
  /** Folder with the built renderer (index.html); omitted = API only. */
  staticDir?: string;
  maxBodyBytes?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  /** The URL to open once: it carries the token in the fragment, which browsers never send. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const bindAddress = '127.0.0.1';

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? httpConventions.maxBodyBytes;
  const sseClients = new Set<ServerResponse>();
  const tabSessions = new Map<string, SessionRef>();
  let port = 0;

  /**
   * Each browser tab names itself with a random id so a technician login in one tab does not
   * elevate every other client of this server. Ids are only keys into agent sessions the server
   * created; the map is bounded so a client cannot grow it without limit.
   */
  function sessionFor(req: IncomingMessage): SessionRef {
    const raw = req.headers[httpConventions.sessionHeader];
    const id = typeof raw === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(raw) ? raw : undefined;
    if (!id || !options.createSession) return options.session;
    let session = tabSessions.get(id);
    if (!session) {
      if (tabSessions.size >= 256) tabSessions.delete(tabSessions.keys().next().value as string);
      session = options.createSession();
      tabSessions.set(id, session);
    }
    return session;
  }

  const unsubscribe = options.host.subscribe((event) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`http: unexpected ${error instanceof Error ? error.name : 'error'}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorPayload(error) });
      else res.destroy();
    });
  });
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      sendJson(res, 403, failure(new CofreError('server.badHost')));
      req.resume();
      return;
    }
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (path === httpConventions.eventsPath || path.startsWith(httpConventions.apiPrefix)) {
      if (!tokenMatches(req.headers[httpConventions.tokenHeader], token)) {
        sendJson(res, 401, failure(new CofreError('server.unauthorized')));
        req.resume();
        return;
      }
      if (path === httpConventions.eventsPath) return openEventStream(req, res);
      return handleApi(req, res, path.slice(httpConventions.apiPrefix.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, failure(new CofreError('server.methodNotAllowed')));
      req.resume();
      return;
    }
    if (options.staticDir && (await serveStatic(options.staticDir, path, res, securityHeaders))) return;
    sendJson(res, 404, failure(new CofreError('error.notFound', { params: { what: path.slice(0, 200) } })));
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, failure(new CofreError('server.methodNotAllowed')));
      req.resume();
      return;
    }
    if (!isApiMethod(method)) {
      sendJson(res, 404, failure(new CofreError('error.notFound', { params: { what: method.slice(0, 100) } })));
      req.resume();
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      sendJson(res, 415, failure(new CofreError('server.jsonRequired')));
      req.resume();
      return;
    }
    const body = await readBody(req, maxBody);
    if (body === 'too-large') {
      sendJson(res, 413, failure(new CofreError('server.tooLarge')), { connection: 'close' });
      return;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'JSON' } })));
      return;
    }
    const result = await options.host.call(method, input, sessionFor(req));
    sendJson(res, result.ok ? 200 : statusForError(result.error.code), result);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      sseClients.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${bindAddress}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sseClients) client.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function failure(error: CofreError): ApiResult<never> {
  return { ok: false, error: error.toPayload() };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    ...securityHeaders,
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}
