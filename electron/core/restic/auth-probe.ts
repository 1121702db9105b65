// rest-server --private-repos answers a correct login on another user's path with 401, exactly
// as it answers a wrong password. One request tells them apart: the same login on the user's
// own path (`/<user>/config`). Accepted there (anything but 401/403) means the password is right
// and the address belongs to someone else; refused there too means the login itself is wrong.
// Behind nginx Basic Auth with one shared user (the Batatais setup), a wrong password is refused
// on every path, so it stays "user or password refused".
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OwnPathProbe {
  /** `rest:https://host:port/other/repo/` (credentials inside are ignored). */
  uri: string;
  user: string;
  password: string;
  caCertFile?: string;
  timeoutMs?: number;
}

/** The URL of the user's own path on the same server, or undefined for non-REST URIs. */
export function ownPathUrl(uri: string, user: string): URL | undefined {
  const match = /^rest:(https?:\/\/)(?:[^/@]*@)?([^/]+)/i.exec(uri);
  if (!match) return undefined;
  try {
    return new URL(`${match[1]}${match[2]}/${encodeURIComponent(user)}/config`);
  } catch {
    return undefined;
  }
}

/** True when the server accepts this login on the user's own path. Any doubt answers false. */
export async function loginWorksOnOwnPath(probe: OwnPathProbe): Promise<boolean> {
  const url = ownPathUrl(probe.uri, probe.user);
  if (!url) return false;
  const ca = probe.caCertFile ? await readFile(probe.caCertFile).catch(() => undefined) : undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'HEAD',
        headers: { authorization: `Basic ${Buffer.from(`${probe.user}:${probe.password}`).toString('base64')}` },
        timeout: probe.timeoutMs ?? 5_000,
        ...(ca ? { ca } : {}),
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status !== 401 && status !== 403 && status < 500);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
