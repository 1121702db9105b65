import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trayIconFileName, trayIconPath, trayStates } from './tray-icon.js';

const iconsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/icons');
const pngSize = (file: string) => {
  const data = readFileSync(file);
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
};

describe('tray icon', () => {
  it('picks .ico on Windows, template images on macOS and PNGs on Linux', () => {
    expect(trayIconFileName('failed', 'win32')).toBe('failed.ico');
    expect(trayIconFileName('failed', 'darwin')).toBe('failedTemplate.png');
    expect(trayIconFileName('not-configured', 'linux')).toBe('not-configured.png');
  });

  it('has a real image file for every state on every platform', () => {
    for (const state of trayStates) {
      for (const platform of ['win32', 'darwin', 'linux'] as const) {
        expect(statSync(trayIconPath(iconsDir, state, platform)).size, `${state} ${platform}`).toBeGreaterThan(60);
      }
      expect(pngSize(trayIconPath(iconsDir, state, 'linux'))).toEqual({ width: 16, height: 16 });
      expect(pngSize(path.join(iconsDir, 'tray', `${state}@2x.png`))).toEqual({ width: 32, height: 32 });
      expect(pngSize(path.join(iconsDir, 'tray', `${state}Template@2x.png`))).toEqual({ width: 32, height: 32 });
      const ico = readFileSync(trayIconPath(iconsDir, state, 'win32'));
      expect(ico.readUInt16LE(2)).toBe(1); // icon resource
      expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(2); // 16 and 32 px at least
    }
  });

  it('draws the states differently so they can be told apart', () => {
    const bytes = trayStates.map((state) => readFileSync(path.join(iconsDir, 'tray', `${state}Template@2x.png`)).toString('base64'));
    expect(new Set(bytes).size).toBe(trayStates.length);
  });
});
