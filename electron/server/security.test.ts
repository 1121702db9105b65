import { describe, expect, it } from 'vitest';
import { isAllowedHost, statusForError, tokenMatches } from './security.js';
import { resolveStaticPath } from './static-files.js';

describe('HTTP face checks', () => {
  it('accepts only loopback Host headers with our port (DNS rebinding defence)', () => {
    expect(isAllowedHost('127.0.0.1:4100', 4100)).toBe(true);
    expect(isAllowedHost('localhost:4100', 4100)).toBe(true);
    expect(isAllowedHost('[::1]:4100', 4100)).toBe(true);
    expect(isAllowedHost('LOCALHOST:4100', 4100)).toBe(true);
    expect(isAllowedHost('127.0.0.1:4101', 4100)).toBe(false);
    expect(isAllowedHost('evil.example:4100', 4100)).toBe(false);
    expect(isAllowedHost('localhost.evil.example:4100', 4100)).toBe(false);
    expect(isAllowedHost('192.168.0.10:4100', 4100)).toBe(false);
    expect(isAllowedHost(undefined, 4100)).toBe(false);
    expect(isAllowedHost('', 4100)).toBe(false);
  });

  it('requires the exact bearer token', () => {
    expect(tokenMatches('Bearer abc123', 'abc123')).toBe(true);
    expect(tokenMatches('bearer abc123', 'abc123')).toBe(true);
    expect(tokenMatches('Bearer abc12', 'abc123')).toBe(false);
    expect(tokenMatches('abc123', 'abc123')).toBe(false);
    expect(tokenMatches(undefined, 'abc123')).toBe(false);
    expect(tokenMatches('Bearer ', 'abc123')).toBe(false);
  });

  it('never maps a domain failure to a server error', () => {
    expect(statusForError('error.invalidInput')).toBe(400);
    expect(statusForError('error.technicianRequired')).toBe(403);
    expect(statusForError('cause.wrong-password')).toBe(422);
    expect(statusForError('error.conflict')).toBe(409);
  });

  it('keeps static files inside the renderer folder', () => {
    expect(resolveStaticPath('/srv/ui', '/')).toBe('/srv/ui/index.html');
    expect(resolveStaticPath('/srv/ui', '/assets/app.js?v=1')).toBe('/srv/ui/assets/app.js');
    expect(resolveStaticPath('/srv/ui', '/../etc/passwd')).toBe(null);
    expect(resolveStaticPath('/srv/ui', '/%2e%2e/etc/passwd')).toBe(null);
    expect(resolveStaticPath('/srv/ui', '/a%00b')).toBe(null);
    expect(resolveStaticPath('/srv/ui', '/%E0%A4%A')).toBe(null);
  });
});
