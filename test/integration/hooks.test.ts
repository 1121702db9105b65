// Hooks against a real local HTTP server: what a webhook receiver, healthchecks.io or a chat
// service would actually get, and what Cofre records when the receiver is down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hookSchema } from '../../electron/core/config/backrest-schema.js';
import { runHooks, type HookRunResult, type HookVars } from '../../electron/core/hooks/index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const vars: HookVars = {
  task: 'backup for plan "docs"',
  plan: { id: 'docs', paths: ['/home/ana/Documentos'] },
  repo: { id: 'office', uri: 'rest:https://ana:repo-secret-pw@backup.example.com/ana' },
  snapshotId: '4f2a9c',
  durationMs: 42_000,
  summary: { dataAdded: 2048, totalFilesProcessed: 12, filesNew: 2 },
};

let server: Server;
let base: string;
const received: Received[] = [];
const hanging = new Set<ServerResponse>();

async function freeClosedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/hang')) {
        hanging.add(res);
        return;
      }
      res.statusCode = req.url?.startsWith('/broken') ? 500 : 200;
      res.end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

describe('webhook hooks against a real HTTP server', () => {
  it('POSTs the rendered template to a webhook', async () => {
    const hook = hookSchema.parse({
      conditions: ['CONDITION_SNAPSHOT_SUCCESS'],
      actionWebhook: {
        webhookUrl: `${base}/hooks/backup`,
        method: 'POST',
        template: '{"plan": "{{ .Plan.Id }}", "snapshot": "{{ .SnapshotId }}", "repo": "{{ .Repo.Uri }}", "added": "{{ .FormatSizeBytes .SnapshotStats.data_added }}"}',
      },
    });
    const results = await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars, { locale: 'en' });
    expect(results).toMatchObject([{ status: 'success', target: base }]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/backup' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ plan: 'docs', snapshot: '4f2a9c', repo: 'rest:https://backup.example.com/ana', added: '2 kB' });
    expect(request!.body).not.toContain('repo-secret-pw');
  });

  it('sends the default summary when no template is given, and supports GET', async () => {
    const post = hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_ERROR'], actionWebhook: { webhookUrl: `${base}/plain` } });
    const get = hookSchema.parse({ conditions: ['CONDITION_ANY_ERROR'], actionWebhook: { webhookUrl: `${base}/get?x=1`, method: 'GET' } });
    await runHooks([post, get], 'CONDITION_SNAPSHOT_ERROR', { ...vars, error: 'The backup server cannot be reached.' }, { locale: 'pt-BR' });
    expect(received.map((r) => [r.method, r.url])).toEqual([['POST', '/plain'], ['GET', '/get?x=1']]);
    expect(received[0]!.body).toBe('O backup do plano "docs" falhou: The backup server cannot be reached.');
    expect(received[0]!.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('pings healthchecks: /start when starting, the plain URL on success, /fail on errors', async () => {
    const hook = hookSchema.parse({
      conditions: ['CONDITION_SNAPSHOT_START', 'CONDITION_SNAPSHOT_SUCCESS', 'CONDITION_ANY_ERROR'],
      actionHealthchecks: { webhookUrl: `${base}/ping/0f3b5c1e-uuid/` },
    });
    await runHooks([hook], 'CONDITION_SNAPSHOT_START', vars);
    await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars);
    await runHooks([hook], 'CONDITION_SNAPSHOT_ERROR', { ...vars, error: 'wrong password' }, { locale: 'en' });
    await runHooks([hook], 'CONDITION_PRUNE_ERROR', { ...vars, error: 'locked' });
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /ping/0f3b5c1e-uuid/start',
      'POST /ping/0f3b5c1e-uuid/',
      'POST /ping/0f3b5c1e-uuid/fail',
      'POST /ping/0f3b5c1e-uuid/fail',
    ]);
    expect(received[2]!.body).toBe('Backup of plan "docs" failed: wrong password');
  });

  it('posts JSON shaped for Discord, Slack and Gotify', async () => {
    const hooks = [
      hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_END'], actionDiscord: { webhookUrl: `${base}/discord`, template: 'd {{ .Plan.Id }}' } }),
      hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_END'], actionSlack: { webhookUrl: `${base}/slack`, template: 's {{ .Plan.Id }}' } }),
      hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_END'], actionGotify: { baseUrl: `${base}/gotify/`, token: 'gotify-app-token', template: 'g {{ .Plan.Id }}', priority: 8 } }),
    ];
    const results = await runHooks(hooks, 'CONDITION_SNAPSHOT_END', vars);
    expect(results.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    expect(JSON.parse(received[0]!.body)).toEqual({ content: 'd docs' });
    expect(JSON.parse(received[1]!.body)).toEqual({ text: 's docs' });
    expect(received[2]!.url).toBe('/gotify/message');
    expect(received[2]!.headers['x-gotify-key']).toBe('gotify-app-token');
    expect(JSON.parse(received[2]!.body)).toEqual({ title: 'Cofre: snapshot end', message: 'g docs', priority: 8 });
  });

  it('turns URL credentials into Basic auth and keeps them out of what is recorded', async () => {
    const url = `${base.replace('http://', 'http://hookuser:hook-pass-123@')}/broken/secret-path-token`;
    const recorded: HookRunResult[] = [];
    const hook = hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionWebhook: { webhookUrl: url } });
    await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars, { record: (r) => recorded.push(r), locale: 'en' });
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:hook-pass-123').toString('base64')}`);
    expect(recorded).toMatchObject([{ status: 'failure', code: 'hooks.failed.httpStatus', message: `The notification server ${base} answered with HTTP status 500.` }]);
    const text = JSON.stringify(recorded);
    expect(text).not.toContain('hook-pass-123');
    expect(text).not.toContain('secret-path-token');
  });

  it('records a webhook to a closed port as failed, quickly, without throwing', async () => {
    const port = await freeClosedPort();
    const recorded: HookRunResult[] = [];
    const hook = hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionWebhook: { webhookUrl: `http://127.0.0.1:${port}/x` } });
    const started = Date.now();
    await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars, { record: (r) => recorded.push(r), locale: 'en', httpTimeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(recorded).toMatchObject([
      { status: 'failure', code: 'hooks.failed.unreachable', message: `The notification server http://127.0.0.1:${port} could not be reached (ECONNREFUSED).` },
    ]);
  });

  it('gives up on a receiver that never answers after the HTTP timeout', async () => {
    const recorded: HookRunResult[] = [];
    const hook = hookSchema.parse({ conditions: ['CONDITION_SNAPSHOT_SUCCESS'], actionHealthchecks: { webhookUrl: `${base}/hang` } });
    const started = Date.now();
    const results = await runHooks([hook], 'CONDITION_SNAPSHOT_SUCCESS', vars, { record: (r) => recorded.push(r), httpTimeoutMs: 500, locale: 'en' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
    expect(results).toMatchObject([{ status: 'failure', code: 'hooks.failed.timeout' }]);
    expect(recorded).toHaveLength(1);
  });
});
