// The WinSW fetch never installs an unverified binary (no network here: the download is a buffer).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from './fetch-restic.js';
import { installWinsw, requirePinnedChecksum, unverifiedChecksum, winswSha256, winswTarget, winswUrl } from './fetch-winsw.js';

const fakeExe = Buffer.from('MZ\x90\x00 pretend WinSW');

describe('fetch-winsw', () => {
  it('downloads the pinned release asset from the WinSW GitHub releases', () => {
    expect(winswUrl()).toBe('https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe');
    expect(winswSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('installs a download whose SHA-256 matches as resources/winsw/cofre-service.exe', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cofre-winsw-'));
    const installed = await installWinsw(fakeExe, dir, sha256(fakeExe));
    expect(installed).toBe(path.join(dir, 'winsw', 'cofre-service.exe'));
    expect(readFileSync(installed)).toEqual(fakeExe);
  });

  it('refuses a download with another checksum and leaves nothing behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cofre-winsw-'));
    await expect(installWinsw(fakeExe, dir, winswSha256)).rejects.toThrow(/SHA-256 mismatch.*refused/);
    expect(existsSync(winswTarget(dir))).toBe(false);
  });

  it('refuses to run at all while the pin is not filled in', async () => {
    expect(() => requirePinnedChecksum(unverifiedChecksum)).toThrow(/no verified SHA-256 in scripts\/fetch-winsw\.ts.*maintainer must fill it in/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cofre-winsw-'));
    await expect(installWinsw(fakeExe, dir, unverifiedChecksum)).rejects.toThrow(/no verified SHA-256/);
    expect(existsSync(winswTarget(dir))).toBe(false);
  });

  it('refuses something that is not a Windows executable even if the checksum was pinned to it', async () => {
    const page = Buffer.from('<html>rate limited</html>');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cofre-winsw-'));
    await expect(installWinsw(page, dir, sha256(page))).rejects.toThrow(/not a Windows executable/);
  });
});
