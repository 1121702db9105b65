// Downloads the pinned restic release that the installers bundle, verifies its SHA-256 against
// the checksums written below BEFORE unpacking anything, and installs the binary as
// resources/restic/<platform>/<arch>/restic[.exe] (picked up by electron-builder's extraResources).
// Runs only when packaging, on a machine with internet:
//   npx tsx scripts/fetch-restic.ts                  # this machine's platform and arch
//   npx tsx scripts/fetch-restic.ts --target win32-x64 --target linux-x64
//   npx tsx scripts/fetch-restic.ts --all
// A wrong checksum is refused and leaves nothing behind. Linux/macOS releases are .bz2 (needs the
// `bzip2` command); Windows releases are .zip (unpacked here, no tool needed).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';

export const resticVersion = '0.18.0';

export type Target = 'win32-x64' | 'win32-arm64' | 'linux-x64' | 'linux-arm64' | 'darwin-x64' | 'darwin-arm64';

export interface ReleaseAsset {
  file: string;
  kind: 'zip' | 'bz2';
  sha256: string;
}

/** Marks a checksum nobody has verified yet: the script refuses to use it. */
export const placeholderChecksum = 'PLACEHOLDER-VERIFY-AGAINST-SHA256SUMS';

// From the SHA256SUMS file of https://github.com/restic/restic/releases/tag/v0.18.0 (the same
// values are pinned by several independent projects). Update all of them together with resticVersion.
export const assets: Record<Target, ReleaseAsset> = {
  'win32-x64': { file: `restic_${resticVersion}_windows_amd64.zip`, kind: 'zip', sha256: 'c90cfcd577fe3d60d2529021e76bd5637bdcd19d7fa84840a40fcbbf995902de' },
  // Not verified on this machine: copy the line for restic_0.18.0_windows_arm64.zip from SHA256SUMS
  // (and check its GPG signature) before building a Windows arm64 installer.
  'win32-arm64': { file: `restic_${resticVersion}_windows_arm64.zip`, kind: 'zip', sha256: placeholderChecksum },
  'linux-x64': { file: `restic_${resticVersion}_linux_amd64.bz2`, kind: 'bz2', sha256: '98f6dd8bf5b59058d04bfd8dab58e196cc2a680666ccee90275a3b722374438e' },
  'linux-arm64': { file: `restic_${resticVersion}_linux_arm64.bz2`, kind: 'bz2', sha256: 'ce18179c25dc5f2e33e3c233ba1e580f9de1a4566d2977e8d9600210363ec209' },
  'darwin-x64': { file: `restic_${resticVersion}_darwin_amd64.bz2`, kind: 'bz2', sha256: '10796285a653c51fe63419009423ebeb0c2d8c1ee4b6fdb2dd0d6fe1cc5a229e' },
  'darwin-arm64': { file: `restic_${resticVersion}_darwin_arm64.bz2`, kind: 'bz2', sha256: 'dd7d64a9bc0c1f8342e8f9693d5b198e9f04022f78b07f15d17ef9b801d4489d' },
};

export const allTargets = Object.keys(assets) as Target[];

export function isTarget(value: string): value is Target {
  return Object.prototype.hasOwnProperty.call(assets, value);
}

export function downloadUrl(asset: ReleaseAsset, version = resticVersion): string {
  return `https://github.com/restic/restic/releases/download/v${version}/${asset.file}`;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Throws unless `data` has exactly the expected, real (non-placeholder) checksum. */
export function verifyChecksum(data: Buffer, expected: string, label: string): void {
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new Error(`${label}: no verified SHA-256 pinned in scripts/fetch-restic.ts (found "${expected}"); refusing to use an unverified download`);
  }
  const actual = sha256(data);
  if (actual !== expected) throw new Error(`${label}: SHA-256 mismatch (expected ${expected}, got ${actual}); the download was refused`);
}

/** Extracts the one restic executable from a release .zip (stored or deflated entries). */
export function extractFromZip(zip: Buffer): Buffer {
  const eocdSignature = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === eocdSignature) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (!/^restic[^/\\]*\.exe$/i.test(name)) continue;

    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error('corrupt zip local header');
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`unsupported zip compression method ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`zip entry ${name} is corrupt (size or CRC mismatch)`);
    return data;
  }
  throw new Error('no restic executable in the zip archive');
}

export function decompressBzip2(data: Buffer): Buffer {
  const result = spawnSync('bzip2', ['-dc'], { input: data, maxBuffer: 512 * 1024 * 1024 });
  if (result.error) throw new Error(`bzip2 is needed to unpack restic for Linux/macOS: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`bzip2 failed: ${result.stderr.toString().trim()}`);
  return result.stdout;
}

export function executableName(target: Target): string {
  return target.startsWith('win32') ? 'restic.exe' : 'restic';
}

export function targetDir(resourcesDir: string, target: Target): string {
  const [platform, arch] = target.split('-') as [string, string];
  return path.join(resourcesDir, 'restic', platform, arch);
}

/**
 * Verifies, unpacks and installs a downloaded release archive. Verification happens before any
 * byte is unpacked; the binary is written to a temporary name and renamed into place, so a failure
 * at any step leaves neither a partial file nor a temporary one.
 */
export async function installArchive(archive: Buffer, asset: ReleaseAsset, target: Target, resourcesDir: string): Promise<string> {
  verifyChecksum(archive, asset.sha256, asset.file);
  const binary = asset.kind === 'zip' ? extractFromZip(archive) : decompressBzip2(archive);
  if (binary.length === 0) throw new Error(`${asset.file}: empty executable`);
  const dir = targetDir(resourcesDir, target);
  const finalPath = path.join(dir, executableName(target));
  const tempPath = `${finalPath}.${process.pid}.partial`;
  await fs.mkdir(dir, { recursive: true });
  try {
    await fs.writeFile(tempPath, binary, { mode: 0o755 });
    await fs.rename(tempPath, finalPath);
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  return finalPath;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`download failed: ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export function parseTargets(argv: string[], platform: NodeJS.Platform, arch: string): Target[] {
  if (argv.includes('--all')) return allTargets;
  const chosen: Target[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--target') continue;
    const value = argv[++i] ?? '';
    if (!isTarget(value)) throw new Error(`unknown target "${value}"; choose from ${allTargets.join(', ')}`);
    chosen.push(value);
  }
  if (chosen.length > 0) return chosen;
  const current = `${platform}-${arch}`;
  if (!isTarget(current)) throw new Error(`no restic release pinned for ${current}`);
  return [current];
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const resourcesDir = path.join(root, 'resources');
  const targets = parseTargets(process.argv.slice(2), process.platform, process.arch);
  // Refuse up front rather than after downloading the first few.
  for (const target of targets) {
    if (!/^[0-9a-f]{64}$/.test(assets[target].sha256)) throw new Error(`${target}: checksum is a placeholder; pin it from SHA256SUMS first`);
  }
  for (const target of targets) {
    const asset = assets[target];
    const url = downloadUrl(asset);
    console.log(`restic ${resticVersion} ${target}: ${url}`);
    const installed = await installArchive(await download(url), asset, target, resourcesDir);
    console.log(`  verified ${asset.sha256} -> ${path.relative(root, installed)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
