// What the Electron shell remembers between runs, apart from the core's own files: where each
// window was, where the status popover sat by the tray, which notifications were already shown
// (so a restart does not announce the same failed backup again), and that the first run happened.
// Kept in electron-store (shell-store.ts opens it); everything read back is checked, since the
// file is the user's and may be damaged or from another version.
import type { Rectangle } from 'electron';
import { initialNotifierState, type NotifierState } from './notifications.js';
import type { WindowKind } from './tray-menu.js';

/** The few calls of electron-store the shell uses (a Map-like stand-in in tests). */
export interface StateBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export type Point = { x: number; y: number };

export class ShellState {
  constructor(private readonly backend: StateBackend) {}

  windowBounds(kind: WindowKind): Rectangle | null {
    const all = this.backend.get('windowBounds');
    const saved = all && typeof all === 'object' ? (all as Record<string, unknown>)[kind] : undefined;
    return isRectangle(saved) ? saved : null;
  }

  rememberWindowBounds(kind: WindowKind, bounds: Rectangle): void {
    const all = this.backend.get('windowBounds');
    this.backend.set('windowBounds', { ...(all && typeof all === 'object' ? all : {}), [kind]: bounds });
  }

  popoverPosition(): Point | null {
    const saved = this.backend.get('popoverPosition');
    return isPoint(saved) ? saved : null;
  }

  rememberPopoverPosition(position: Point): void {
    this.backend.set('popoverPosition', position);
  }

  notifier(): NotifierState {
    const saved = this.backend.get('notifier') as Partial<NotifierState> | undefined;
    const outcome = saved?.announcedOutcome;
    const overdue = saved?.announcedOverdue;
    if (!outcome || typeof outcome !== 'object' || !Array.isArray(overdue)) return initialNotifierState();
    return {
      announcedOutcome: Object.fromEntries(Object.entries(outcome).filter(([, v]) => typeof v === 'string')),
      announcedOverdue: overdue.filter((v): v is string => typeof v === 'string'),
    };
  }

  rememberNotifier(state: NotifierState): void {
    this.backend.set('notifier', state);
  }

  firstRunDone(): boolean {
    return this.backend.get('firstRunDone') === true;
  }

  markFirstRunDone(): void {
    this.backend.set('firstRunDone', true);
  }
}

/** A backend that forgets everything when the app quits (when the store cannot be opened). */
export function memoryBackend(): StateBackend {
  const values = new Map<string, unknown>();
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) };
}

/**
 * Saved window bounds, if the window would still be reachable: its title bar must lie on one of
 * today's displays (a monitor may have been unplugged since).
 */
export function reachableBounds(saved: Rectangle | null, workAreas: Rectangle[]): Rectangle | null {
  if (!saved) return null;
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(40, saved.height) };
  return workAreas.some((area) => overlap(titleBar, area) >= Math.min(100, titleBar.width) * titleBar.height * 0.5) ? saved : null;
}

/** A remembered popover position, if the popover still fits inside the work area there. */
export function reachablePosition(saved: Point | null, size: { width: number; height: number }, workArea: Rectangle): Point | null {
  if (!saved) return null;
  const inside = saved.x >= workArea.x && saved.y >= workArea.y && saved.x + size.width <= workArea.x + workArea.width && saved.y + size.height <= workArea.y + workArea.height;
  return inside ? saved : null;
}

function overlap(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function isPoint(value: unknown): value is Point {
  const p = value as Partial<Point> | null | undefined;
  return Boolean(p) && Number.isFinite(p?.x) && Number.isFinite(p?.y);
}

function isRectangle(value: unknown): value is Rectangle {
  const r = value as Partial<Rectangle> | null | undefined;
  return isPoint(value) && Number.isFinite(r?.width) && Number.isFinite(r?.height) && (r?.width ?? 0) > 0 && (r?.height ?? 0) > 0;
}
