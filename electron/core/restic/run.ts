// One restic process: spawn, stream stdout lines, watch stderr, stop on abort (SIGINT, then
// SIGKILL after a grace period), and turn the end into a result or a classified ResticError.
// Output is never buffered whole: `ls` of a big snapshot prints millions of lines.
import { execa } from 'execa';
import type { FailureCause } from '../errors.js';
import { classifyFailure, retryVerdict, causeFromText, persistentServerErrorCause, refineAuthCause, retriedObject, type AuthContext } from './classify.js';
import { ResticError } from './error.js';
import type { Capabilities } from './types.js';

export type LogFn = (entry: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }) => void;

export interface RunSpec {
  binary: string;
  args: string[];
  env: Record<string, string>;
  caps: Capabilities;
  redact: (text: string) => string;
  signal?: AbortSignal;
  log?: LogFn;
  killGraceMs: number;
  /** Stop restic when it keeps retrying an unreachable server for this long. */
  unreachableGiveUpMs: number;
  /** Exit codes that are not failures (0 always; 3 for backup). */
  okExitCodes?: number[];
  onStderrLine?: (line: string) => void;
  /** restic is waiting out a transient problem (its own retries): tell the user while it lasts. */
  onRetry?: (cause: FailureCause) => void;
  cwd?: string;
  /** Who restic logs in as on a REST server, so a refused login can say why. */
  auth?: AuthContext;
  /** Confirms that a refused login works on the user's own path (see auth-probe.ts). */
  confirmOtherUser?: () => Promise<boolean>;
}

export interface RunOutcome {
  exitCode: number;
  /** Redacted last lines of stderr. */
  stderrTail: string;
  /** Redacted stderr lines (bounded), for callers that read warnings on success. */
  stderrLines: string[];
}

const TAIL_LINES = 40;
const TAIL_CHARS = 8_000;
const KEPT_STDERR_LINES = 2_000;
/** restic's backoff makes 6 retries of one object about 30 s of trying. */
const SERVER_ERROR_RETRIES = 6;

/** Splits a stream of text chunks into lines without holding more than one partial line. */
export async function* linesOf(stream: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (rest) yield rest;
}

export class ResticProcess {
  private readonly child;
  private readonly stderrLines: string[] = [];
  private stopCause: FailureCause | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private firstUnreachableAt: number | undefined;
  private readonly serverErrors = new Map<string, number>();
  private readonly started = Date.now();
  private readonly done: Promise<RunOutcome>;
  private readonly onAbort = (): void => this.stop('cancelled');

  constructor(private readonly spec: RunSpec) {
    spec.log?.({ level: 'debug', message: spec.redact(`run: restic ${spec.args.join(' ')}`) });
    this.child = execa(spec.binary, spec.args, {
      env: spec.env,
      extendEnv: false,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      encoding: 'utf8',
      stripFinalNewline: false,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
    });
    // Decode as UTF-8 across chunk boundaries (a multi-byte name may be split between chunks).
    this.child.stdout?.setEncoding('utf8');
    this.child.stderr?.setEncoding('utf8');
    if (spec.signal?.aborted) this.stop('cancelled');
    else spec.signal?.addEventListener('abort', this.onAbort, { once: true });
    const stderrDone = this.readStderr();
    this.done = this.finish(stderrDone);
    // The caller may never await `done` if iterating stdout throws first; avoid an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** stdout, line by line, with backpressure. */
  stdoutLines(): AsyncGenerator<string> {
    const stdout = this.child.stdout;
    if (!stdout) return (async function* () {})();
    return linesOf(stdout);
  }

  /** stdout as decoded text chunks, for output printed as one huge line (`snapshots --json`). */
  async drainText(onChunk: (chunk: string) => void): Promise<RunOutcome> {
    try {
      for await (const chunk of this.child.stdout ?? []) onChunk(String(chunk));
    } catch {
      // the stream errors when the process dies; `wait` reports why
    }
    return this.wait();
  }

  /** Drains stdout into a callback (for commands whose output is small or handled per line). */
  async drain(onLine?: (line: string) => void): Promise<RunOutcome> {
    try {
      for await (const line of this.stdoutLines()) onLine?.(line);
    } catch {
      // the stream errors when the process dies; `wait` reports why
    }
    return this.wait();
  }

  /** Throws away unread stdout so the process can end after its reader gave up. */
  discardStdout(): void {
    this.child.stdout?.resume();
  }

  wait(): Promise<RunOutcome> {
    return this.done;
  }

  /** Asks restic to stop (SIGINT lets it remove its lock), then kills it after the grace period. */
  stop(cause: FailureCause): void {
    if (this.stopCause) return;
    this.stopCause = cause;
    this.spec.log?.({ level: 'info', message: `stopping restic (${cause})` });
    this.child.kill('SIGINT');
    this.killTimer = setTimeout(() => {
      this.spec.log?.({ level: 'warn', message: 'restic did not stop in time: killing it' });
      this.child.kill('SIGKILL');
    }, this.spec.killGraceMs);
    this.killTimer.unref?.();
  }

  private async readStderr(): Promise<void> {
    const stderr = this.child.stderr;
    if (!stderr) return;
    try {
      for await (const raw of linesOf(stderr)) {
        // Progress bars redraw with \r and ANSI codes; keep only the last frame, without escapes.
        const line = this.spec.redact(stripAnsi(raw).split('\r').pop() ?? '');
        if (!line.trim()) continue;
        if (this.stderrLines.length >= KEPT_STDERR_LINES) this.stderrLines.splice(0, this.stderrLines.length - KEPT_STDERR_LINES + 1);
        this.stderrLines.push(line);
        this.spec.onStderrLine?.(line);
        this.watch(line);
      }
    } catch {
      // stream closed by a kill
    }
  }

  private watch(line: string): void {
    const verdict = retryVerdict(line);
    if (verdict === 'permanent') {
      this.stop(causeFromText(line) ?? 'unknown');
    } else if (verdict === 'unreachable') {
      const now = Date.now();
      this.firstUnreachableAt ??= now;
      this.spec.onRetry?.('server-unreachable');
      if (now - this.firstUnreachableAt >= this.spec.unreachableGiveUpMs) this.stop('server-unreachable');
    } else if (verdict === 'server-error') {
      // restic retries a 5xx for about 15 minutes; the same object refused this many times in a
      // row will not succeed by waiting.
      const object = retriedObject(line) ?? 'request';
      const count = (this.serverErrors.get(object) ?? 0) + 1;
      this.serverErrors.set(object, count);
      if (count >= SERVER_ERROR_RETRIES) this.stop(persistentServerErrorCause(object));
    }
  }

  private async finish(stderrDone: Promise<void>): Promise<RunOutcome> {
    const result = await this.child;
    await stderrDone;
    clearTimeout(this.killTimer);
    this.spec.signal?.removeEventListener('abort', this.onAbort);
    const stderrAll = this.stderrLines.join('\n');
    const tail = tailOf(this.stderrLines);
    const exitCode = result.exitCode;
    const ms = Date.now() - this.started;
    const spawnError = (result as { code?: string }).code;
    if (exitCode === undefined && (spawnError === 'ENOENT' || spawnError === 'EACCES') && !this.stopCause) {
      this.spec.log?.({ level: 'error', message: `restic not found or not executable: ${this.spec.redact(this.spec.binary)}` });
      throw new ResticError('restic-missing', { stderrTail: tail, detail: this.spec.redact(`${spawnError}: ${this.spec.binary}`) });
    }
    const ok = this.stopCause === undefined && exitCode !== undefined && (exitCode === 0 || (this.spec.okExitCodes ?? []).includes(exitCode));
    if (ok) {
      this.spec.log?.({ level: 'debug', message: `restic ${this.spec.args.find((a) => !a.startsWith('-')) ?? ''} exit ${exitCode} in ${ms} ms` });
      return { exitCode, stderrTail: tail, stderrLines: this.stderrLines };
    }
    let cause = refineAuthCause(
      this.stopCause ??
        classifyFailure({
          exitCode,
          stderr: stderrAll,
          caps: this.spec.caps,
          aborted: false,
          ...(result.signal ? { signal: result.signal } : {}),
        }),
      this.spec.auth,
    );
    // "Another user's path" only when the same login is accepted on the user's own path;
    // otherwise it is a plain refused user or password.
    if (cause === 'auth-other-user' && !(await this.spec.confirmOtherUser?.().catch(() => false))) cause = 'auth-refused';
    this.spec.log?.({
      level: cause === 'cancelled' ? 'info' : 'error',
      message: `restic failed (${cause}, exit ${exitCode ?? result.signal ?? '?'}, ${ms} ms)${tail ? `:\n${tail}` : ''}`,
    });
    const precise =
      cause === 'auth-other-user' && this.spec.auth?.user && this.spec.auth.firstSegment
        ? { key: 'restic.authOtherUser' as const, params: { user: this.spec.auth.user, owner: this.spec.auth.firstSegment } }
        : {};
    throw new ResticError(cause, { ...(exitCode !== undefined ? { exitCode } : {}), stderrTail: tail, ...precise });
  }
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, 'g');

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function tailOf(lines: string[]): string {
  const tail = lines.slice(-TAIL_LINES).join('\n');
  return tail.length > TAIL_CHARS ? tail.slice(-TAIL_CHARS) : tail;
}
