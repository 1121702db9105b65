// Serving the built renderer through our own `app://cofre/` scheme instead of file:// gives the
// pages a real origin (so CSP 'self' and the IPC sender check mean something) and lets us attach
// headers. This module is the pure part: URL -> file inside the renderer folder, or refusal.
import path from 'node:path';
import { appHost, appScheme } from './window-options.js';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file an app:// request may read, or null. Only our host, only files under `rendererRoot`
 * (no `..`, no encoded traversal, no absolute or UNC escapes); "/" means index.html.
 */
export function resolveAppRequest(requestUrl: string, rendererRoot: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.hostname !== appHost || url.username || url.password || url.port) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  if (relative.split('/').some((segment) => segment === '..')) return null;
  const root = path.resolve(rendererRoot);
  const file = path.resolve(root, ...relative.split('/'));
  return file.startsWith(root + path.sep) ? file : null;
}
