import { describe, expect, it } from 'vitest';
import { SseParser, reconnectDelay } from './sse.js';
import { extractToken, sessionId, takeToken } from './token.js';
import { ApiError, unwrapResult } from './client.js';
import { createHttpClient } from './http-client.js';

describe('SSE parser', () => {
  it('joins data lines, dispatches on blank lines and ignores comments', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\ndata: {"type":"status"}\n\n')).toEqual([{ event: 'message', data: '{"type":"status"}' }]);
    expect(p.push('event: x\ndata: a\ndata:b\n\n')).toEqual([{ event: 'x', data: 'a\nb' }]);
  });

  it('handles events split across chunks and CRLF split between chunks', () => {
    const p = new SseParser();
    expect(p.push('data: {"a"')).toEqual([]);
    expect(p.push(':1}\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', data: '{"a":1}' }]);
    expect(p.push('id: 7\rdata: z\r\r')).toEqual([{ event: 'message', data: 'z', id: '7' }]);
  });

  it('backs off from half a second up to fifteen seconds', () => {
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
    expect(reconnectDelay(20, () => 1)).toBe(15_000);
    expect(reconnectDelay(20, () => 0)).toBe(12_000);
  });
});

describe('token from the URL fragment', () => {
  it('extracts the token and keeps the route', () => {
    expect(extractToken('#token=abc123')).toEqual({ token: 'abc123', hash: '' });
    expect(extractToken('#/restore&token=abc')).toEqual({ token: 'abc', hash: '#/restore' });
    expect(extractToken('#/restore?token=a%2Bb&x=1')).toEqual({ token: 'a+b', hash: '#/restore?x=1' });
    expect(extractToken('#/status')).toEqual({ token: null, hash: '#/status' });
  });

  it('stores the token once and reads it back on reload', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    let replaced: string | null = null;
    expect(takeToken({ hash: '#token=tok' }, storage, (h) => (replaced = h))).toBe('tok');
    expect(replaced).toBe('');
    expect(takeToken({ hash: '#/history' }, storage, () => { throw new Error('no replace'); })).toBe('tok');
    expect(sessionId(storage, () => 's1')).toBe('s1');
    expect(sessionId(storage, () => 's2')).toBe('s1');
  });
});

describe('results and the HTTP client', () => {
  it('turns error results into ApiError with the payload', () => {
    expect(unwrapResult({ ok: true, value: 5 }, () => ({ code: 'x', message: 'x' }))).toBe(5);
    const payload = { code: 'cause.wrong-password', message: 'A senha do repositório está errada.', cause: 'wrong-password' as const };
    expect(() => unwrapResult({ ok: false, error: payload }, () => ({ code: 'x', message: 'x' }))).toThrow(ApiError);
    try {
      unwrapResult({ ok: false, error: payload }, () => ({ code: 'x', message: 'x' }));
    } catch (e) {
      expect((e as ApiError).payload).toEqual(payload);
    }
  });

  it('posts JSON with the bearer token and session header', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { jobId: 'j1' } }), { status: 200 });
    }) as unknown as typeof fetch;
    const client = createHttpClient({ token: 'tok', session: 'sess', fetch: fakeFetch });
    await expect(client.call('runBackup', { planId: 'docs' })).resolves.toEqual({ jobId: 'j1' });
    expect(seen[0]!.url).toBe('/api/runBackup');
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['x-cofre-session']).toBe('sess');
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ planId: 'docs' });
  });

  it('reports an unreachable agent and a refused token as translated errors', async () => {
    const down = createHttpClient({ token: 't', session: 's', fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    await expect(down.call('getStatus', {})).rejects.toMatchObject({ payload: { code: 'ui.error.agentUnreachable' } });
    const refused = createHttpClient({ token: 'bad', session: 's', fetch: (async () => new Response('', { status: 401 })) as unknown as typeof fetch });
    await expect(refused.call('getStatus', {})).rejects.toMatchObject({ payload: { code: 'ui.error.unauthorized' } });
  });

  it('stops reconnecting and says "unauthorized" when the agent refuses the token of an old page', async () => {
    let calls = 0;
    const client = createHttpClient({ token: 'old', session: 's', fetch: (async () => { calls += 1; return new Response('', { status: 401 }); }) as unknown as typeof fetch });
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(states).toEqual(['unauthorized']);
    expect(calls).toBe(1);
  });
});
