import { describe, expect, it } from 'vitest';
import { authContextOf, classifyFailure, persistentServerErrorCause, refineAuthCause, retriedObject, retryVerdict } from './classify.js';
import { capabilitiesFor, parseVersion } from './version.js';

const v14 = capabilitiesFor(parseVersion('restic 0.14.0'));
const v18 = capabilitiesFor(parseVersion('restic 0.18.0'));
const v19 = capabilitiesFor(parseVersion('restic 0.19.1'));

// Real stderr, captured from restic 0.14.0 and 0.18.0 against rclone serve restic and nginx.
const samples: [string, typeof v14, number, string, string][] = [
  ['0.14 wrong password', v14, 1, 'Fatal: wrong password or no key found\n', 'wrong-password'],
  ['0.18 wrong password', v18, 12, '{"message_type":"exit_error","code":12,"message":"Fatal: wrong password or no key found"}', 'wrong-password'],
  ['0.14 no repository (local)', v14, 1, 'Fatal: unable to open config file: stat /tmp/rx/nope14/config: no such file or directory\nIs there a repository at the following location?\n/tmp/rx/nope14', 'no-repository'],
  ['0.14 no repository (REST)', v14, 1, 'Fatal: unable to open config file: <config/> does not exist\nIs there a repository at the following location?\nrest:http://alice:***@127.0.0.1:45835/zz0.14/', 'no-repository'],
  ['0.18 no repository', v18, 10, 'Fatal: repository does not exist: unable to open config file: <config/> does not exist\nIs there a repository at the following location?', 'no-repository'],
  ['0.14 HTTP 401', v14, 1, 'Fatal: unable to open config file: unexpected HTTP response (401): 401 Unauthorized\nIs there a repository at the following location?\nrest:http://alice:***@127.0.0.1:45835/r0.14/', 'auth-refused'],
  ['0.18 HTTP 401', v18, 1, 'Stat(<config/>) failed: unexpected HTTP response (401): 401 Unauthorized\nFatal: unable to open config file: unexpected HTTP response (401): 401 Unauthorized\nIs there a repository at the following location?', 'auth-refused'],
  ['private repos 403', v18, 1, 'Fatal: unable to open config file: unexpected HTTP response (403): 403 Forbidden\nIs there a repository at the following location?', 'auth-refused'],
  ['0.14 connection refused', v14, 1, 'Fatal: unable to open config file: client.Head: Head "http://u:***@127.0.0.1:1/x/config": dial tcp 127.0.0.1:1: connect: connection refused\nIs there a repository at the following location?', 'server-unreachable'],
  ['0.18 connection refused (retrying)', v18, 1, 'Stat(<config/>) returned error, retrying after 725.102659ms: Head "http://u:***@127.0.0.1:1/x/config": dial tcp 127.0.0.1:1: connect: connection refused', 'server-unreachable'],
  ['0.14 untrusted TLS', v14, 1, 'Fatal: unable to open config file: client.Head: Head "https://bob:***@localhost:35461/t0.14/config": x509: certificate signed by unknown authority\nIs there a repository at the following location?', 'tls-untrusted'],
  ['0.18 untrusted TLS', v18, 1, 'Stat(<config/>) returned error, retrying after 1.411243228s: Head "https://bob:***@localhost:35461/t0.18/config": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'tls-untrusted'],
  ['0.14 locked', v14, 1, 'unable to create lock in backend: repository is already locked exclusively by PID 1322 on vm by root (UID 0, GID 0)\nlock was created at 2026-11-27 13:20:29 (15.035224935s ago)\nstorage ID f9075a66\nthe `unlock` command can be used to remove stale locks', 'repo-locked'],
  // Seen in CI: a lock 401 ms old is not an HTTP 401 (nor 403/507 of a duration).
  ['0.14 locked, lock age 401.4 ms', v14, 1, 'unable to create lock in backend: repository is already locked by PID 15242 on vm by root (UID 0, GID 0)\nlock was created at 2026-12-01 23:35:20 (401.465651ms ago)\nstorage ID eed369ed\nthe `unlock` command can be used to remove stale locks', 'repo-locked'],
  ['0.14 locked, lock age 507.2 ms', v14, 1, 'unable to create lock in backend: repository is already locked by PID 15242 on vm by root (UID 0, GID 0)\nlock was created at 2026-12-01 23:35:20 (507.2ms ago)', 'repo-locked'],
  ['0.18 locked', v18, 11, 'unable to create lock in backend: repository is already locked by PID 77 on vm by root (UID 0, GID 0)', 'repo-locked'],
  ['0.14 append-only forget', v14, 1, 'Remove(<snapshot/920abaae08>) returned error, retrying after 552.330144ms: blob not removed, server response: 403 Forbidden (403)', 'append-only'],
  ['0.18 append-only forget', v18, 1, 'Remove(<snapshot/5f27bd23c4>) failed: unexpected HTTP response (403): 403 Forbidden\nunable to remove snapshot/5f27bd23c4649bccd044fd5d7f76bc2c860edb313eb5aac026e507789b130497 from the repository', 'append-only'],
  ['storage full (507)', v18, 1, 'Save(<data/3a5b1c>) failed: unexpected HTTP response (507): 507 Insufficient Storage', 'storage-full'],
  ['local disk full', v14, 1, 'Fatal: unable to save snapshot: write /repo/data/ab/abcd: no space left on device', 'storage-full'],
  ['bad extra flag', v18, 1, 'unknown flag: --frobnicate', 'invalid-input'],
  ['unknown snapshot', v18, 1, '{"message_type":"exit_error","code":1,"message":"no matching ID found for prefix \\"c35c005d\\""}', 'invalid-input'],
  ['0.14 no backup path exists', v14, 1, '/tmp/x/gone does not exist, skipping\nFatal: all target directories/files do not exist', 'invalid-input'],
  ['0.18 no backup path exists', v18, 1, '{"message_type":"exit_error","code":1,"message":"Fatal: all source directories/files do not exist"}', 'invalid-input'],
  // restic 0.19.1 against rest-server 0.14 (captured 2026-12-01): "Is there a repository at" is gone.
  ['0.19.1 wrong password', v19, 12, 'Fatal: wrong password or no key found', 'wrong-password'],
  ['0.19.1 no repository', v19, 10, 'Fatal: repository does not exist: unable to open config file: <config/> does not exist\nIs there a repository at the following location?\nrest:http://alice:***@127.0.0.1:18431/alice/none19/', 'no-repository'],
  ['0.19.1 HTTP 401', v19, 1, 'Stat(<config/>) failed: unexpected HTTP response (401): 401 Unauthorized\nFatal: unable to open config file: unexpected HTTP response (401): 401 Unauthorized\nrest:http://127.0.0.1:18431/alice/r19/', 'auth-refused'],
  ['0.19.1 connection refused (retrying)', v19, 1, 'Stat(<config/>) returned error, retrying after 1.456478501s: Head "http://:***@127.0.0.1:1/x/config": dial tcp 127.0.0.1:1: connect: connection refused', 'server-unreachable'],
  ['0.19.1 untrusted TLS', v19, 1, 'Stat(<config/>) returned error, retrying after 713.536805ms: Head "https://:***@127.0.0.1:18433/t19/config": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'tls-untrusted'],
  ['0.19.1 locked', v19, 11, '{"message_type":"exit_error","code":11,"message":"unable to create lock in backend: repository is already locked by PID 13478 on vm by root (UID 0, GID 0)\nlock was created at 2026-12-01 15:37:33 (2.388018201s ago)\nstorage ID 546ba6cb\nthe `unlock` command can be used to remove stale locks"}', 'repo-locked'],
  ['0.19.1 locked (text, exit code ignored)', v19, 1, 'repo already locked, waiting up to 0s for the lock\nunable to create lock in backend: repository is already locked by PID 13478 on vm by root (UID 0, GID 0)', 'repo-locked'],
  ['0.19.1 no backup path exists', v19, 1, '/tmp/rx/nope1 does not exist, skipping\n{"message_type":"exit_error","code":1,"message":"Fatal: all source directories/files do not exist"}', 'invalid-input'],
  ['0.18 cancelled by SIGINT (context canceled)', v18, 1, 'signal interrupt received, cleaning up\n{"message_type":"exit_error","code":1,"message":"Fatal: unable to save snapshot: context canceled"}', 'cancelled'],
  ['0.18 cancelled while opening', v18, 1, 'Fatal: unable to open config file: context canceled', 'cancelled'],
  ['0.19.1 cancelled by SIGINT', v19, 130, 'signal interrupt received, cleaning up', 'cancelled'],
  ['something new', v18, 1, 'Fatal: the moon is in the wrong phase', 'unknown'],
  ['unknown exit code', v18, 42, '', 'unknown'],
];

describe('classifyFailure', () => {
  it.each(samples)('%s', (_name, caps, exitCode, stderr, cause) => {
    expect(classifyFailure({ exitCode, stderr, caps, aborted: false })).toBe(cause);
  });
  it('exit 3 is a partial backup on every version', () => {
    expect(classifyFailure({ exitCode: 3, stderr: 'Warning: at least one source file could not be read', caps: v14, aborted: false })).toBe('partial');
  });
  it('a SIGINT that reached restic from the terminal is a cancel', () => {
    expect(classifyFailure({ exitCode: undefined, stderr: '', caps: v18, aborted: false, signal: 'SIGINT' })).toBe('cancelled');
  });
  it('a cancelled run is cancelled whatever restic printed', () => {
    expect(classifyFailure({ exitCode: 1, stderr: 'Fatal: unable to open config file: context canceled', caps: v18, aborted: true, signal: 'SIGINT' })).toBe('cancelled');
  });
  it('trusts exit codes 10-12 only on versions that have them', () => {
    expect(classifyFailure({ exitCode: 11, stderr: '', caps: v18, aborted: false })).toBe('repo-locked');
    expect(classifyFailure({ exitCode: 11, stderr: '', caps: v14, aborted: false })).toBe('unknown');
  });
});

describe('refused logins made precise', () => {
  it('knows who logged in and where', () => {
    expect(authContextOf('rest:https://nas.local/financeiro/', undefined)).toEqual({ firstSegment: 'financeiro' });
    expect(authContextOf('rest:https://nas.local/alice/docs', 'alice')).toEqual({ user: 'alice', firstSegment: 'alice' });
    expect(authContextOf('rest:http://maria%20s:pw@10.0.0.5:8000/maria%20s/x', undefined)).toEqual({ user: 'maria s', firstSegment: 'maria s' });
    expect(authContextOf('rest:https://nas.local/', 'bob')).toEqual({ user: 'bob' });
    expect(authContextOf('/srv/repo', 'bob')).toBeUndefined();
  });
  it('a 401 with no user name sent means the server wants one', () => {
    expect(refineAuthCause('auth-refused', { firstSegment: 'financeiro' })).toBe('auth-missing');
  });
  it("a 401/403 for a known user on an address starting with another name is another user's path", () => {
    expect(refineAuthCause('auth-refused', { user: 'alice', firstSegment: 'bob' })).toBe('auth-other-user');
  });
  it('a 401 for the own path stays a refused user or password; other causes are untouched', () => {
    expect(refineAuthCause('auth-refused', { user: 'alice', firstSegment: 'alice' })).toBe('auth-refused');
    expect(refineAuthCause('auth-refused', { user: 'alice' })).toBe('auth-refused');
    expect(refineAuthCause('wrong-password', { firstSegment: 'x' })).toBe('wrong-password');
    expect(refineAuthCause('auth-refused', undefined)).toBe('auth-refused');
  });
});

describe('retryVerdict', () => {
  it('gives up at once on retries that cannot succeed', () => {
    expect(retryVerdict('Remove(<snapshot/920abaae08>) returned error, retrying after 552.330144ms: blob not removed, server response: 403 Forbidden (403)')).toBe('permanent');
    expect(retryVerdict('Stat(<config/>) returned error, retrying after 1.4s: Head "https://x/config": tls: failed to verify certificate: x509: certificate signed by unknown authority')).toBe('permanent');
  });
  it('lets an unreachable server be retried for a while', () => {
    expect(retryVerdict('Stat(<config/>) returned error, retrying after 725ms: Head "http://127.0.0.1:1/x/config": dial tcp 127.0.0.1:1: connect: connection refused')).toBe('unreachable');
    expect(retryVerdict('Fatal: wrong password or no key found')).toBeUndefined();
  });
});

describe('server errors restic keeps retrying', () => {
  it('tells unreachable proxies from persistent server errors', () => {
    const save500 = 'Save(<data/8d3e6f1a2b>) returned error, retrying after 1.234s: server response unexpected: 500 Internal Server Error (500)';
    expect(retryVerdict(save500)).toBe('server-error');
    expect(retriedObject(save500)).toBe('Save:data/8d3e6f1a2b');
    expect(persistentServerErrorCause('Save:data/8d3e6f1a2b')).toBe('storage-full');
    expect(persistentServerErrorCause('List:index')).toBe('unknown');
    expect(retryVerdict('List(index) returned error, retrying after 2s: server response unexpected: 502 Bad Gateway (502)')).toBe('unreachable');
    expect(retryVerdict('Load(<data/1>, 0, 0) returned error, retrying after 1s: Get "https://x/data/1": dial tcp 127.0.0.1:1: connect: connection refused')).toBe('unreachable');
    expect(retryVerdict('processed 100 files')).toBeUndefined();
  });
});
