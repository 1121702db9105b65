import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loginWorksOnOwnPath, ownPathUrl } from './auth-probe.js';

describe('ownPathUrl', () => {
  it("points at the user's own path on the same server, without credentials from the URI", () => {
    expect(ownPathUrl('rest:https://alice:pw@nas.local:8443/bob/docs/', 'alice')?.href).toBe('https://nas.local:8443/alice/config');
    expect(ownPathUrl('rest:http://10.0.0.5:8000/financeiro', 'maria silva')?.href).toBe('http://10.0.0.5:8000/maria%20silva/config');
    expect(ownPathUrl('/srv/repo', 'alice')).toBeUndefined();
  });
});

describe('loginWorksOnOwnPath', () => {
  it('accepted on the own path (404: no repository yet) is true; 401 there is false', async () => {
    // A stand-in for rest-server --private-repos: alice/right may use /alice/ only.
    const server = createServer((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from('alice:right').toString('base64')}`;
      res.statusCode = ok && req.url?.startsWith('/alice/') ? 404 : 401;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const uri = `rest:http://127.0.0.1:${port}/bob/docs/`;
      expect(await loginWorksOnOwnPath({ uri, user: 'alice', password: 'right' })).toBe(true);
      expect(await loginWorksOnOwnPath({ uri, user: 'alice', password: 'wrong' })).toBe(false);
      expect(await loginWorksOnOwnPath({ uri: 'rest:http://127.0.0.1:1/bob/', user: 'alice', password: 'right' })).toBe(false);
    } finally {
      server.close();
    }
  });
});
