// Finds out once per binary which restic this is and what it can do.
import { execa } from 'execa';
import { ResticError } from './error.js';
import type { Capabilities } from './types.js';
import { capabilitiesFor, parseVersion } from './version.js';

const cache = new Map<string, Promise<{ binary: string; capabilities: Capabilities }>>();

async function probe(binary: string): Promise<{ binary: string; capabilities: Capabilities }> {
  const result = await execa(binary, ['version'], { reject: false, stdin: 'ignore', timeout: 30_000 });
  const code = (result as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EACCES') throw new ResticError('restic-missing', { detail: `${code}: ${binary}` });
  const output = String(result.stdout ?? '');
  try {
    return { binary, capabilities: capabilitiesFor(parseVersion(output)) };
  } catch {
    throw new ResticError('restic-missing', { ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), detail: `not a restic binary: ${binary}` });
  }
}

/** restic's capabilities, cached per binary path (a failed probe is not cached). */
export function detectRestic(binary: string): Promise<{ binary: string; capabilities: Capabilities }> {
  let pending = cache.get(binary);
  if (!pending) {
    pending = probe(binary);
    cache.set(binary, pending);
    pending.catch(() => cache.delete(binary));
  }
  return pending;
}
