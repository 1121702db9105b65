// Who an OS user is (uid -> name, primary group, home), from the system's user database through
// `getent`, so users from LDAP/SSSD count as much as those in /etc/passwd. Service mode only.
import { execFile } from 'node:child_process';
import type { SessionOwner } from '../agent/sessions.js';

/** One `getent passwd` line: name:x:uid:gid:gecos:home:shell. */
export function parsePasswdLine(line: string): SessionOwner | null {
  const fields = line.trim().split(':');
  if (fields.length < 7) return null;
  const [username, , uidText, gidText, , homeDir] = fields;
  if (!username || !homeDir || !/^\d+$/.test(uidText ?? '') || !/^\d+$/.test(gidText ?? '')) return null;
  if (!homeDir.startsWith('/')) return null;
  return { username, uid: Number(uidText), gid: Number(gidText), homeDir };
}

/** The user with this uid, or null when the system knows none. */
export function lookupUser(uid: number): Promise<SessionOwner | null> {
  if (!Number.isSafeInteger(uid) || uid < 0 || uid > 4_294_967_294) return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile('getent', ['passwd', String(uid)], { timeout: 5_000 }, (error, stdout) => {
      if (error) return resolve(null);
      const user = parsePasswdLine(stdout.split('\n')[0] ?? '');
      resolve(user && user.uid === uid ? user : null);
    });
  });
}
