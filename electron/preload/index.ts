// Runs in every renderer before the page, sandboxed: exposes `window.cofre` (CofreBridge) with one
// function per contract method and nothing else. No generic invoke: a compromised page can call
// only what the contract lists, and the main process still checks the sender and the input.
// Bundled to CommonJS by scripts/build-electron.ts (sandboxed preloads cannot load ESM or our modules).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, CofreBridge } from '../core/api.js';
import { ipcChannel, ipcDesktopChannels, ipcEventChannel } from './ipc-channels.js';
import { methodNames } from './method-names.js';

const api = Object.fromEntries(
  methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input ?? {})]),
) as CofreBridge['api'];

const bridge: CofreBridge = {
  api,
  onEvent(listener) {
    // A fresh wrapper per subscription, so unsubscribing removes exactly this one, and the
    // IpcRendererEvent (which exposes `sender`) never reaches the page.
    const wrapped = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(ipcEventChannel, wrapped);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel, wrapped);
    };
  },
  desktop: {
    pickFolder: () => ipcRenderer.invoke(ipcDesktopChannels.pickFolder) as Promise<string | null>,
    openPath: (path: string) => ipcRenderer.invoke(ipcDesktopChannels.openPath, path) as Promise<void>,
  },
};

contextBridge.exposeInMainWorld('cofre', bridge);
