// The one way agent events reach the windows: typed by the contract (only an ApiEvent can be
// sent), on the one event channel, never to a window that is already gone.
import type { ApiEvent } from '../core/api.js';
import { ipcEventChannel } from '../preload/ipc-channels.js';

/** The part of a BrowserWindow the sender needs (a fake in tests). */
export interface EventWindow {
  isDestroyed(): boolean;
  webContents: { send(channel: string, payload: ApiEvent): void };
}

export function sendEvent(windows: Iterable<EventWindow>, event: ApiEvent): void {
  for (const win of windows) {
    if (!win.isDestroyed()) win.webContents.send(ipcEventChannel, event);
  }
}
