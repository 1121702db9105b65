// Downloads the pinned WinSW release (github.com/winsw/winsw, MIT) that the MSI ships as
// cofre-service.exe, verifies its SHA-256 BEFORE writing anything, and installs it as
// resources/winsw/cofre-service.exe, where scripts/msi-service.ts picks it up (it refuses to build
// the MSI without it). Runs only when packaging, on a machine with internet:
//   npx tsx scripts/fetch-winsw.ts
// WinSW-x64.exe is the self-contained build (no .NET Framework needed on the target machine).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sha256 } from './fetch-restic.js';

export const winswVersion = '2.12.0';
export const winswFile = 'WinSW-x64.exe';

/**
 * SHA-256 of WinSW-x64.exe v2.12.0. The release page publishes no checksum file; this value is the
 * one two unrelated projects pin independently for that same URL. Before the first release build,
 * a maintainer should confirm it (Get-FileHash on a copy downloaded from the release page). If it
 * is ever unknown (a version bump), set it to `unverifiedChecksum` and the script refuses to run.
 */
export const winswSha256: string = '05b82d46ad331cc16bdc00de5c6332c1ef818df8ceefcd49c726553209b3a0da';

/** Marks a checksum nobody has verified yet: the script refuses to use it. */
export const unverifiedChecksum = 'FILL-IN-FROM-THE-WINSW-RELEASE-PAGE';

export function winswUrl(version = winswVersion, file = winswFile): string {
  return `https://github.com/winsw/winsw/releases/download/v${version}/${file}`;
}

export function winswTarget(resourcesDir: string): string {
  return path.join(resourcesDir, 'winsw', 'cofre-service.exe');
}

/** Throws before any download when the pin is not a real SHA-256. */
export function requirePinnedChecksum(expected: string): void {
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new Error(`WinSW ${winswVersion}: no verified SHA-256 in scripts/fetch-winsw.ts (winswSha256 is "${expected}"); a maintainer must fill it in from ${winswUrl()} before the MSI can be built`);
  }
}

/** Verifies and installs the downloaded executable; a mismatch leaves nothing behind. */
export async function installWinsw(data: Buffer, resourcesDir: string, expected = winswSha256): Promise<string> {
  requirePinnedChecksum(expected);
  const actual = sha256(data);
  if (actual !== expected) throw new Error(`${winswFile} ${winswVersion}: SHA-256 mismatch (expected ${expected}, got ${actual}); the download was refused`);
  // Every Windows executable starts with the DOS "MZ" header: catches an HTML error page early.
  if (data.subarray(0, 2).toString('latin1') !== 'MZ') throw new Error(`${winswFile}: not a Windows executable`);
  const finalPath = winswTarget(resourcesDir);
  const tempPath = `${finalPath}.${process.pid}.partial`;
  await fs.mkdir(path.dirname(finalPath), { recursive: true });
  try {
    await fs.writeFile(tempPath, data);
    await fs.rename(tempPath, finalPath);
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  return finalPath;
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  requirePinnedChecksum(winswSha256);
  const url = winswUrl();
  console.log(`WinSW ${winswVersion}: ${url}`);
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`download failed: ${url}: HTTP ${response.status}`);
  const installed = await installWinsw(Buffer.from(await response.arrayBuffer()), path.join(root, 'resources'));
  console.log(`  verified ${winswSha256} -> ${path.relative(root, installed)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
