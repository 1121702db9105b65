// The contract over HTTP for `cofre serve`: POST /api/<method> with a JSON body, events over SSE at
// GET /api/events, and the built renderer as static files. Loopback only, a random token on every
// API call (Authorization header, never a cookie, so other sites cannot ride on it), Host header
// checked against loopback names, size-limited bodies. Malformed requests get a 4xx and the
// server keeps running.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as httpConventions, isApiMethod, type ApiHost, type ApiResult, type SessionRef } from '../core/api.js';
import { CofreError, toErrorPayload, type ErrorPayload } from '../core/errors.js';
import { t } from '../core/i18n/index.js';
import { exceedsJsonLimits, maxJsonDepth, maxReportedProblems } from '../core/json-limits.js';
import { isAllowedHost, securityHeaders, statusForError, tokenMatches } from './security.js';
import { serveStatic } from './static-files.js';

export interface ServeOptions {
  host: ApiHost;
  /**
   * Ignored (kept for callers written before issue 15). Clients without an x-cofre-session header
   * no longer share one session: they get an anonymous one that can never become technician.
   */
  session?: SessionRef;
  /** Creates the agent session behind each browser tab's x-cofre-session id (and the anonymous one). */
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
/** Tokens shorter than this could be guessed by another local process. */
export const minTokenLength = 16;
/**
 * Values one request may hold. A real call (even setConfig of a large office) holds a few thousand;
 * 480,000 unknown keys made the agent spend seconds and answer with 27 MB of problems.
 */
export const maxRequestValues = 50_000;
/** Problems listed in one error reply; the rest are counted in a last line. */
export { maxReportedProblems };
/** Session ids a tab may use: long random names (the renderer sends 32 hex characters). */
const sessionIdPattern = /^[A-Za-z0-9_-]{16,128}$/;
/** Methods that change what a session may do: meaningless, and dangerous if shared, without a session. */
const sessionBoundMethods = new Set(['technicianLogin', 'technicianLogout']);

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (options.token !== undefined && options.token.trim().length < minTokenLength) {
    throw new CofreError(options.token.trim() === '' ? 'server.emptyToken' : 'server.shortToken', { params: { min: minTokenLength }, cause: 'invalid-input' });
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)) {
    throw new CofreError('server.badPort', { params: { port: String(options.port) }, cause: 'invalid-input' });
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? httpConventions.maxBodyBytes;
  const sseClients = new Set<ServerResponse>();
  const tabSessions = new Map<string, SessionRef>();
  let port = 0;

  /**
   * Each browser tab names itself with a random id so a technician login in one tab does not
   * elevate every other client of this server. Ids are only keys into agent sessions the server
   * created (the agent's own ids are crypto-random and never leave the server); the map is bounded
   * so a client cannot grow it without limit. A request without a valid id gets the anonymous
   * session, which technicianLogin refuses: no session header, no technician.
   */
  let anonymous: SessionRef | null = null;
  function sessionFor(req: IncomingMessage): SessionRef | null {
    const raw = req.headers[httpConventions.sessionHeader];
    const id = typeof raw === 'string' && sessionIdPattern.test(raw) ? raw : undefined;
    if (!options.createSession) return null;
    if (!id) return null;
    let session = tabSessions.get(id);
    if (!session) {
      if (tabSessions.size >= 256) tabSessions.delete(tabSessions.keys().next().value as string);
      session = options.createSession();
      tabSessions.set(id, session);
    }
    return session;
  }
  function anonymousSession(): SessionRef {
    anonymous ??= options.createSession ? options.createSession() : { id: `anonymous-${randomBytes(16).toString('hex')}` };
    return anonymous;
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
    // Parsing a body of hundreds of thousands of values costs most of a second before the value
    // count below can refuse it; a byte scan for separators refuses such a body for ~1% of that.
    if (separatorCount(body) > maxRequestValues * 2) {
      sendJson(res, 413, failure(new CofreError('server.tooComplex', { params: { max: maxRequestValues }, cause: 'invalid-input' })));
      return;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, failure(new CofreError('error.invalidInput', { cause: 'invalid-input', params: { details: 'JSON' } })));
      return;
    }
    if (exceedsJsonLimits(input, maxJsonDepth, maxRequestValues)) {
      sendJson(res, 413, failure(new CofreError('server.tooComplex', { params: { max: maxRequestValues }, cause: 'invalid-input' })));
      return;
    }
    const session = sessionFor(req);
    if (!session && sessionBoundMethods.has(method)) {
      sendJson(res, 400, failure(new CofreError('server.sessionRequired', { cause: 'invalid-input' })));
      return;
    }
    const result = await options.host.call(method, input, session ?? anonymousSession());
    if (!result.ok) result.error = capProblems(result.error);
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
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.port ?? 0)));
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

/** The first problems and a count of the rest: a reply stays small whatever the input held. */
export function capProblems(payload: ErrorPayload, max = maxReportedProblems): ErrorPayload {
  const fields = payload.fields;
  if (!fields || fields.length <= max) return payload;
  const rest = fields.length - max;
  const form = rest === 1 ? 'one' : 'other';
  return { ...payload, fields: [...fields.slice(0, max), { path: '', message: t(`server.moreProblems.${form}`, { count: rest }) }] };
}

function listenError(error: NodeJS.ErrnoException, port: number): CofreError {
  if (error.code === 'EADDRINUSE') return new CofreError('server.portInUse', { params: { port: String(port) }, cause: 'invalid-input' });
  if (error.code === 'EACCES' || error.code === 'EPERM') return new CofreError('server.portDenied', { params: { port: String(port) }, cause: 'invalid-input' });
  return new CofreError('server.listenFailed', { params: { port: String(port), reason: error.code ?? error.message } });
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

/** Commas and colons in a JSON body: an upper bound on its number of values, plus the odd one inside strings. */
function separatorCount(body: Buffer): number {
  let count = 0;
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i];
    if (byte === 0x2c || byte === 0x3a) count += 1;
  }
  return count;
}
