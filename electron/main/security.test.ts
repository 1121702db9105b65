import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppRequest, mimeTypeFor } from './app-protocol.js';
import { contentSecurityPolicy, withSecurityHeaders } from './csp.js';
import { ipcChannel } from '../preload/ipc-channels.js';
import { isTrustedSender, isTrustedUrl } from './ipc-guard.js';

describe('IPC sender validation', () => {
  const top = (url: string) => ({ url, parent: null });

  it('accepts only the top frame of our own app:// pages', () => {
    expect(isTrustedSender(top('app://cofre/index.html#/status'))).toBe(true);
    expect(isTrustedSender({ url: 'app://cofre/index.html', parent: {} })).toBe(false); // iframe
    expect(isTrustedSender(null)).toBe(false);
  });

  it('refuses remote pages, file:// pages, look-alike hosts and credentials tricks', () => {
    for (const url of [
      'https://evil.example/', 'http://localhost:5173/', 'file:///C:/Users/ana/Downloads/page.html', 'app://cofre.evil/',
      'app://evil/', 'app://user:pass@cofre/', 'app://cofre:81/', 'devtools://devtools/bundled/inspector.html', 'not a url', '',
    ]) {
      expect(isTrustedUrl(url), url).toBe(false);
    }
  });

  it('trusts the Vite dev server only when explicitly given, and only on loopback', () => {
    expect(isTrustedUrl('http://localhost:5173/#/status', { devServerOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', { devServerOrigin: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedUrl('http://example.com/', { devServerOrigin: 'http://example.com' })).toBe(false);
  });

  it('names channels after the contract methods', () => {
    expect(ipcChannel('runBackup')).toBe('cofre:runBackup');
  });
});

describe('app:// protocol', () => {
  const root = path.resolve('/opt/cofre/renderer');

  it('serves index.html for the root and files inside the renderer folder', () => {
    expect(resolveAppRequest('app://cofre/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://cofre/assets/index-abc.js?x=1#y', root)).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(mimeTypeFor('a/b.JS')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, encoded traversal, other hosts and backslashes', () => {
    // The URL parser already folds a literal '/../' inside the root: it can never climb out.
    expect(resolveAppRequest('app://cofre/../../secrets.json', root)).toBe(path.join(root, 'secrets.json'));
    for (const url of ['app://cofre/x/..%2f..%2f..%2fetc/passwd', 'app://cofre/..%2fx', 'app://cofre/a%5c..%5cb',
      'app://other/index.html', 'app://cofre/%00.html', 'app://cofre/%E0%A4%A', 'https://cofre/index.html']) {
      expect(resolveAppRequest(url, root), url).toBeNull();
    }
  });
});

describe('content security policy', () => {
  it('allows only our own scripts and no inline code, eval, network or frames', () => {
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).toContain("connect-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });

  it('replaces a weaker policy sent by a response, whatever its letter case', () => {
    const merged = withSecurityHeaders({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(merged['content-security-policy']).toBeUndefined();
    expect(merged['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(merged['Content-Type']).toEqual(['text/html']);
  });
});
