// The ONE place BrowserWindow options are made. Every window kind gets the same locked-down
// webPreferences (a unit test fails if any kind is weaker); only size and chrome differ. The type
// import is erased at runtime, so this module (and its test) runs in plain Node.
import type { BrowserWindowConstructorOptions, Rectangle, WebPreferences } from 'electron';
import { t, type Locale } from '../core/i18n/index.js';
import type { WindowKind } from './tray-menu.js';

export const windowKinds = ['status', 'restore', 'history', 'settings'] as const satisfies readonly WindowKind[];

/** Renderer pages are served from our own privileged scheme (see app-protocol.ts). */
export const appScheme = 'app';
export const appHost = 'cofre';
export const appOrigin = `${appScheme}://${appHost}`;

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

const sizes: Record<WindowKind, { width: number; height: number; minWidth: number; minHeight: number }> = {
  status: { width: 380, height: 520, minWidth: 380, minHeight: 520 },
  restore: { width: 1000, height: 700, minWidth: 720, minHeight: 480 },
  history: { width: 900, height: 640, minWidth: 640, minHeight: 420 },
  settings: { width: 900, height: 700, minWidth: 720, minHeight: 480 },
};

const titleKeys = {
  status: 'desktop.window.status',
  restore: 'desktop.window.restore',
  history: 'desktop.window.history',
  settings: 'desktop.window.settings',
} as const;

export interface WindowOptionsInput {
  preloadPath: string;
  locale: Locale;
  platform: NodeJS.Platform;
  iconPath?: string;
}

export function windowOptions(kind: WindowKind, input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const size = sizes[kind];
  const popover = kind === 'status';
  return {
    ...size,
    title: t(titleKeys[kind], undefined, input.locale),
    show: false, // shown on 'ready-to-show' so nothing flashes white
    autoHideMenuBar: true,
    // The status popover sits by the tray like a flyout; the others are normal windows.
    frame: !popover,
    resizable: !popover,
    maximizable: !popover,
    minimizable: !popover,
    fullscreenable: false,
    skipTaskbar: popover,
    alwaysOnTop: popover,
    ...(input.iconPath && input.platform !== 'darwin' ? { icon: input.iconPath } : {}),
    webPreferences: secureWebPreferences(input.preloadPath),
  };
}

/** The renderer page for a window kind; the renderer routes on the hash. */
export function windowUrl(kind: WindowKind): string {
  return `${appOrigin}/index.html#/${kind}`;
}

/**
 * Where the status popover goes: centred on the tray icon, above it when the taskbar is at the
 * bottom (Windows default), below it when the tray is at the top (macOS, GNOME), kept inside the
 * work area. Without tray bounds (Linux often reports none) it goes to the bottom-right corner.
 */
export function popoverPosition(
  window: { width: number; height: number },
  tray: Rectangle | null,
  workArea: Rectangle,
): { x: number; y: number } {
  const margin = 8;
  const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max));
  const maxX = workArea.x + workArea.width - window.width - margin;
  const maxY = workArea.y + workArea.height - window.height - margin;
  if (!tray || (tray.width === 0 && tray.height === 0)) return { x: maxX, y: maxY };
  const x = clamp(Math.round(tray.x + tray.width / 2 - window.width / 2), workArea.x + margin, maxX);
  const trayAtTop = tray.y + tray.height / 2 < workArea.y + workArea.height / 2;
  const y = trayAtTop ? tray.y + tray.height + margin : tray.y - window.height - margin;
  return { x, y: clamp(y, workArea.y + margin, maxY) };
}
