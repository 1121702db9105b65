// Maps a failed restic run to one cause a person can act on. restic 0.17+ says some of it with
// exit codes (10, 11, 12); 0.14 says everything with exit 1, so the stderr text decides. The
// patterns below come from real output of both versions (see classify.test.ts).
import type { FailureCause } from '../errors.js';
import type { Capabilities } from './types.js';

export interface FailureInput {
  exitCode: number | undefined;
  stderr: string;
  caps: Capabilities;
  aborted: boolean;
  signal?: string;
}

/** Who restic logged in as, and where: turns "refused" into what a technician can fix. */
export interface AuthContext {
  /** The REST user name restic sent (env or URI); undefined when none was sent. */
  user?: string;
  /** First segment of the repository's URL path (`/alice/docs` -> `alice`). */
  firstSegment?: string;
}

// Order matters: a 401 or a refused connection also prints "Is there a repository at ..." (0.14
// to 0.18; 0.19.1 no longer prints it, and says "repository does not exist" with exit 10).
// An HTTP status as restic prints it ("(401)", "401 Unauthorized"), never digits of a duration:
// a lock message says "created at … (401.465651ms ago)".
const status = (code: number) => String.raw`\b${code}\b(?!\.\d)`;

const textRules: [RegExp, FailureCause][] = [
  // 0.18 answers a SIGINT with exit 1 and "context canceled" (0.19: exit 130); this is also what
  // happens when Ctrl+C in a terminal reaches restic directly rather than through Cofre's abort.
  // It comes first: the same run also prints "unable to open config file: context canceled".
  [/context canceled|signal interrupt received/i, 'cancelled'],
  [/x509:|certificate signed by unknown authority|tls: failed to verify certificate|certificate is not trusted/i, 'tls-untrusted'],
  [new RegExp(`${status(507)}|insufficient storage|no space left on device|disk quota exceeded`, 'i'), 'storage-full'],
  // append-only servers refuse DELETE (restic: Remove(...)) with 403; other 403s are access refusals
  [new RegExp(`(remove|delete)[^\\n]*${status(403)}|${status(403)}[^\\n]*(remove|delete)|blob not removed[^\\n]*403`, 'i'), 'append-only'],
  [new RegExp(`${status(401)}|\\bunauthorized\\b|${status(403)}[^\\n]*forbidden|\\bforbidden\\b`, 'i'), 'auth-refused'],
  [/wrong password or no key found/i, 'wrong-password'],
  [/repository is already locked|unable to create lock|unable to acquire lock|failed to lock repository/i, 'repo-locked'],
  [
    /connection refused|no such host|network is unreachable|host is unreachable|i\/o timeout|connection reset|context deadline exceeded|dial tcp|server misbehaving|no route to host|TLS handshake timeout|unexpected EOF/i,
    'server-unreachable',
  ],
  [/repository does not exist|Is there a repository at the following location\?|unable to open config file|config file does not exist/i, 'no-repository'],
  [/unknown flag|unknown shorthand flag|invalid argument|no matching ID found|invalid id|ambiguous|is not a valid|accepts \d+ arg|requires at least|Fatal: invalid|no such snapshot|all (target|source) directories\/files do not exist/i, 'invalid-input'],
];

const serverFull = new RegExp(`${status(507)}|insufficient storage`, 'i');
const noSpace = /no space left on device|disk quota exceeded|\bENOSPC\b/i;

/**
 * A restore only reads the repository: what it writes goes to this computer's disk, so "no space
 * left" there is the local disk ('local-disk-full'), while a server answering 507 stays
 * 'storage-full'. Other causes pass through.
 */
export function restoreDiskCause(cause: FailureCause | undefined, text: string): FailureCause | undefined {
  if (serverFull.test(text)) return cause;
  if (cause === 'storage-full' || noSpace.test(text)) return 'local-disk-full';
  return cause;
}

/** The cause a piece of restic text points at, or undefined when it says nothing known. */
export function causeFromText(text: string): FailureCause | undefined {
  for (const [pattern, cause] of textRules) if (pattern.test(text)) return cause;
  return undefined;
}

export function classifyFailure(input: FailureInput): FailureCause {
  if (input.aborted) return 'cancelled';
  const { exitCode, caps } = input;
  if (exitCode === 3) return 'partial';
  if (exitCode === 10 && caps.exitCodes10and11) return 'no-repository';
  if (exitCode === 11 && caps.exitCodes10and11) return 'repo-locked';
  if (exitCode === 12 && caps.exitCode12) return 'wrong-password';
  if (exitCode === 130) return 'cancelled';
  if (input.signal === 'SIGINT') return 'cancelled';
  return causeFromText(input.stderr) ?? 'unknown';
}

/** The auth context of a REST repository target, or undefined for other backends. */
export function authContextOf(uri: string, user: string | undefined): AuthContext | undefined {
  const match = /^rest:https?:\/\/([^/]*)(\/[^?#]*)?/i.exec(uri);
  if (!match) return undefined;
  const authority = match[1] ?? '';
  const at = authority.lastIndexOf('@');
  const uriUser = at >= 0 ? safeDecode(authority.slice(0, at).split(':')[0] ?? '') : '';
  const firstSegment = (match[2] ?? '').split('/').find((s) => s !== '');
  const who = user || uriUser || undefined;
  return { ...(who ? { user: who } : {}), ...(firstSegment ? { firstSegment: safeDecode(firstSegment) } : {}) };
}

/**
 * A refused login, made precise: no user name was sent at all (the server wants one), or the
 * user is known but the address starts with another name (rest-server --private-repos answers
 * a correct login on another user's path with 401, rclone with 403). The second is only a
 * candidate: the caller confirms it by trying the same login on the user's own path
 * (auth-probe.ts), since a wrong password on a shared-user server looks the same.
 */
export function refineAuthCause(cause: FailureCause, auth: AuthContext | undefined): FailureCause {
  if (cause !== 'auth-refused' || !auth) return cause;
  if (!auth.user) return 'auth-missing';
  if (auth.firstSegment && auth.firstSegment !== auth.user) return 'auth-other-user';
  return cause;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// restic retries these for minutes (0.14: HTTP 403 on DELETE; 0.18: TLS verification); waiting
// cannot help, so the engine stops restic as soon as it sees one.
const permanent: ReadonlySet<FailureCause> = new Set(['tls-untrusted', 'auth-refused', 'append-only', 'storage-full', 'wrong-password']);


/**
 * Reads one stderr line while restic runs: a retry of a permanent error means "give up now";
 * a retry of an unreachable server means "give up if this goes on".
 */
export function retryVerdict(line: string): 'permanent' | 'unreachable' | 'server-error' | undefined {
  if (!/retrying after|returned error, retrying|failed: unexpected HTTP response/i.test(line)) return undefined;
  const cause = causeFromText(line);
  if (cause && permanent.has(cause)) return 'permanent';
  if (cause === 'server-unreachable') return 'unreachable';
  // A proxy in front of a stopped REST server answers 502/503/504: the server is unreachable.
  if (/\b50[234]\b/.test(line)) return 'unreachable';
  if (/\b5\d\d\b/.test(line)) return 'server-error';
  return undefined;
}

/** The object a retry line is about (`Save(<data/ab12…>)`), so repeated failures of one write can be counted. */
export function retriedObject(line: string): string | undefined {
  return /\b(\w+)\(<([^>]+)>\)/.exec(line)?.slice(1, 3).join(':');
}

/**
 * What a write the server keeps refusing with HTTP 500 most likely means. rest-server says 507
 * when its disk or quota is full, but other REST servers (rclone serve restic) answer a full disk
 * with a plain 500; a data upload refused again and again is, in practice, a full server.
 */
export function persistentServerErrorCause(object: string): FailureCause {
  return /^Save:/.test(object) ? 'storage-full' : 'unknown';
}
