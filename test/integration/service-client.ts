// A user's client of the Cofre service, run by service.test.ts as a real OS user (runuser), so the
// token file it reads and the files it sees are under real permissions. Prints one JSON line.
//   call <socket> <method> <input-json>        connect as this user, call, print the result
//   wait <socket> <method> <input-json>        same, then wait for the job's jobFinished event
//   drop <socket> <method> <input-json>        call, then vanish without waiting (mid-job)
//   forge <socket> <uid> [token|own]           raw: authenticate as <uid> with a made-up or own token, then call getStatus
//   desktop <socket>                           the tray's choice of agent (openDesktopAgent)
//   listen <socket> <ms>                       print every event pushed to this user during <ms>
//   anonymous <socket>                         raw: call getStatus without authenticating
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { ServiceClient } from '../../electron/core/service/client.js';
import { openDesktopAgent } from '../../electron/core/service/desktop-agent.js';
import { tokenFileFor } from '../../electron/core/service/machine-paths.js';
import type { ApiEvent } from '../../electron/core/api.js';

const [mode, socketPath, ...rest] = process.argv.slice(2);

async function raw(lines: unknown[]): Promise<unknown[]> {
  const socket = connect(socketPath!);
  const replies: unknown[] = [];
  let buffer = '';
  return new Promise((resolve) => {
    socket.on('connect', () => socket.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let at;
      while ((at = buffer.indexOf('\n')) !== -1) {
        replies.push(JSON.parse(buffer.slice(0, at)));
        buffer = buffer.slice(at + 1);
        if (replies.length === lines.length) socket.end();
      }
    });
    socket.on('close', () => resolve(replies));
    socket.on('error', () => resolve(replies));
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

async function main(): Promise<unknown> {
  if (mode === 'forge') {
    const [uidText, how] = rest;
    const uid = Number(uidText);
    const own = (await readFile(tokenFileFor(socketPath!, process.getuid!()), 'utf8').catch(() => '')).trim();
    const token = how === 'own' ? own : randomBytes(32).toString('hex');
    const stolen = await readFile(tokenFileFor(socketPath!, uid), 'utf8').then(() => 'read', (e: NodeJS.ErrnoException) => e.code);
    const replies = await raw([{ id: 1, method: 'service.auth', input: { uid, token } }, { id: 2, method: 'getStatus', input: {} }]);
    return { stolen, replies };
  }
  if (mode === 'desktop') {
    // What the tray does at start: the service if it accepts us, else an in-process agent.
    const agent = await openDesktopAgent(async () => {
      throw new Error('the tray fell back to its own agent');
    }, { ...process.env, COFRE_SERVICE_SOCKET: socketPath });
    const result = await agent.call('getStatus', {}, agent.createSession());
    await agent.shutdown(1_000);
    return { connection: agent.connection, result };
  }
  if (mode === 'listen') {
    // Everything pushed to this user for a while (another user's restore must not show up).
    const client = await ServiceClient.connect({ socketPath: socketPath! });
    const events: ApiEvent[] = [];
    client.subscribe((event) => events.push(event));
    process.stdout.write('listening\n');
    await new Promise((resolve) => setTimeout(resolve, Number(rest[0] ?? '3000')));
    client.close();
    return { events };
  }
  if (mode === 'anonymous') return { replies: await raw([{ id: 1, method: 'getStatus', input: {} }]) };
  const [method, inputText] = rest;
  const input: unknown = JSON.parse(inputText ?? '{}');
  const client = await ServiceClient.connect({ socketPath: socketPath! });
  const finished = new Map<string, unknown>();
  const waiters = new Map<string, (e: unknown) => void>();
  client.subscribe((event: ApiEvent) => {
    if (event.type !== 'jobFinished') return;
    const w = waiters.get(event.data.jobId);
    if (w) w(event.data);
    else finished.set(event.data.jobId, event.data);
  });
  const result = await client.call(method!, input);
  if (mode === 'drop') {
    client.close();
    return { identity: client.identity, result };
  }
  let job: unknown = null;
  if (mode === 'wait' && result.ok) {
    const jobId = (result.value as { jobId: string }).jobId;
    job = finished.get(jobId) ?? (await new Promise((resolve) => waiters.set(jobId, resolve)));
  }
  client.close();
  return { identity: client.identity, result, job };
}

main().then(
  (value) => process.stdout.write(JSON.stringify(value) + '\n'),
  (error: unknown) => {
    process.stdout.write(JSON.stringify({ thrown: error instanceof Error ? { name: error.name, message: error.message, code: (error as { code?: string }).code } : String(error) }) + '\n');
  },
);
