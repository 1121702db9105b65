import { describe, expect, it } from 'vitest';
import { appOrigin, popoverPosition, secureWebPreferences, windowKinds, windowOptions, windowUrl } from './window-options.js';

const input = { preloadPath: '/app/dist/electron/preload/index.cjs', locale: 'pt-BR' as const, platform: 'win32' as const };

describe('window options', () => {
  it('gives every window kind the locked-down webPreferences, never weaker', () => {
    for (const kind of windowKinds) {
      const prefs = windowOptions(kind, input).webPreferences ?? {};
      expect(prefs, kind).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        preload: input.preloadPath,
      });
      // No option that could load foreign code or change the origin.
      for (const risky of ['partition', 'session', 'additionalArguments', 'enableBlinkFeatures', 'offscreen']) {
        expect(prefs, `${kind}.${risky}`).not.toHaveProperty(risky);
      }
      expect(prefs).toEqual(secureWebPreferences(input.preloadPath));
    }
  });

  it('names windows in the user language and keeps them hidden until ready', () => {
    expect(windowOptions('restore', input).title).toBe('Restaurar arquivos - Cofre');
    expect(windowOptions('restore', { ...input, locale: 'en' }).title).toBe('Restore files - Cofre');
    for (const kind of windowKinds) expect(windowOptions(kind, input).show).toBe(false);
  });

  it('makes the status window a frameless popover and the others normal windows', () => {
    expect(windowOptions('status', input)).toMatchObject({ frame: false, skipTaskbar: true, resizable: false });
    expect(windowOptions('settings', input)).toMatchObject({ frame: true, skipTaskbar: false, resizable: true });
  });

  it('loads only our own pages', () => {
    expect(windowUrl('history')).toBe(`${appOrigin}/index.html#/history`);
  });
});

describe('popover position', () => {
  const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
  const size = { width: 380, height: 520 };

  it('sits above a bottom taskbar tray icon, centred on it', () => {
    expect(popoverPosition(size, { x: 1700, y: 1045, width: 24, height: 30 }, workArea)).toEqual({ x: 1522, y: 512 });
  });

  it('sits below a top-bar tray icon and stays on screen at the right edge', () => {
    expect(popoverPosition(size, { x: 1900, y: 0, width: 20, height: 24 }, workArea)).toEqual({ x: 1532, y: 32 });
  });

  it('goes to the bottom-right corner when the tray position is unknown', () => {
    expect(popoverPosition(size, null, workArea)).toEqual({ x: 1532, y: 512 });
    expect(popoverPosition(size, { x: 0, y: 0, width: 0, height: 0 }, workArea)).toEqual({ x: 1532, y: 512 });
  });
});
