import { spawnSync } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32, deflateRawSync } from 'node:zlib';
import {
  allTargets, assets, downloadUrl, extractFromZip, installArchive, parseTargets, placeholderChecksum, sha256, targetDir, verifyChecksum,
  type ReleaseAsset,
} from './fetch-restic.js';

/** A minimal zip writer: one deflated entry, like restic's Windows release. */
function makeZip(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

const fakeExe = Buffer.from('MZ fake restic for tests '.repeat(200));
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cofre-fetch-restic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const listAll = async (root: string): Promise<string[]> => (existsSync(root) ? (await fs.readdir(root, { recursive: true })).map(String) : []);

describe('fetch-restic', () => {
  it('pins a real SHA-256 for every target but Windows arm64, which is clearly a placeholder', () => {
    for (const target of allTargets) {
      const { sha256: pinned } = assets[target];
      if (target === 'win32-arm64') expect(pinned).toBe(placeholderChecksum);
      else expect(pinned, target).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(downloadUrl(assets['win32-x64'])).toBe('https://github.com/restic/restic/releases/download/v0.18.0/restic_0.18.0_windows_amd64.zip');
  });

  it('installs the executable from a verified Windows zip', async () => {
    const zip = makeZip('restic_0.18.0_windows_amd64.exe', fakeExe);
    const asset: ReleaseAsset = { file: 'restic_0.18.0_windows_amd64.zip', kind: 'zip', sha256: sha256(zip) };
    const installed = await installArchive(zip, asset, 'win32-x64', dir);
    expect(installed).toBe(path.join(dir, 'restic', 'win32', 'x64', 'restic.exe'));
    expect(await fs.readFile(installed)).toEqual(fakeExe);
    expect(await listAll(path.join(dir, 'restic'))).toEqual(['win32', path.join('win32', 'x64'), path.join('win32', 'x64', 'restic.exe')]);
  });

  it('refuses a bad checksum before unpacking and leaves nothing behind', async () => {
    const zip = makeZip('restic_0.18.0_windows_amd64.exe', fakeExe);
    const asset: ReleaseAsset = { file: 'x.zip', kind: 'zip', sha256: sha256(Buffer.from('something else')) };
    await expect(installArchive(zip, asset, 'win32-x64', dir)).rejects.toThrow(/SHA-256 mismatch/);
    expect(await listAll(dir)).toEqual([]);
  });

  it('refuses to run with a placeholder checksum', async () => {
    const zip = makeZip('restic.exe', fakeExe);
    await expect(installArchive(zip, assets['win32-arm64'], 'win32-arm64', dir)).rejects.toThrow(/no verified SHA-256/);
    expect(() => verifyChecksum(zip, '', 'x')).toThrow(/no verified SHA-256/);
    expect(await listAll(dir)).toEqual([]);
  });

  it('refuses a zip whose entry is corrupt even when the archive checksum was pinned', () => {
    const zip = makeZip('restic.exe', fakeExe);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0xdeadbeef, central + 16);
    expect(() => extractFromZip(zip)).toThrow(/corrupt/);
    expect(() => extractFromZip(makeZip('README.md', fakeExe))).toThrow(/no restic executable/);
  });

  it.skipIf(spawnSync('bzip2', ['--help']).error !== undefined)('installs a verified Linux .bz2 as an executable', async () => {
    const bz2 = spawnSync('bzip2', ['-c'], { input: fakeExe }).stdout;
    const asset: ReleaseAsset = { file: 'restic_0.18.0_linux_amd64.bz2', kind: 'bz2', sha256: sha256(bz2) };
    const installed = await installArchive(bz2, asset, 'linux-x64', dir);
    expect(installed).toBe(path.join(targetDir(dir, 'linux-x64'), 'restic'));
    expect(await fs.readFile(installed)).toEqual(fakeExe);
    expect((await fs.stat(installed)).mode & 0o111).not.toBe(0);
    const corrupt = Buffer.from(bz2);
    corrupt[corrupt.length - 8] = (corrupt[corrupt.length - 8] ?? 0) ^ 0xff;
    await expect(installArchive(corrupt, asset, 'linux-arm64', dir)).rejects.toThrow(/SHA-256 mismatch/);
    expect(existsSync(targetDir(dir, 'linux-arm64'))).toBe(false);
  });

  it('chooses targets from the command line or this machine', () => {
    expect(parseTargets([], 'linux', 'x64')).toEqual(['linux-x64']);
    expect(parseTargets(['--target', 'win32-x64', '--target', 'darwin-arm64'], 'linux', 'x64')).toEqual(['win32-x64', 'darwin-arm64']);
    expect(parseTargets(['--all'], 'linux', 'x64')).toHaveLength(6);
    expect(() => parseTargets(['--target', 'plan9-mips'], 'linux', 'x64')).toThrow(/unknown target/);
  });
});
