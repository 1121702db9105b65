// The preload, run against a stand-in for Electron's contextBridge and ipcRenderer: what the page
// gets as `window.cofre` is exactly the contract's methods (plus onEvent and desktop), and each
// method invokes its own channel, the one the main process handles.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods, type CofreBridge } from '../core/api.js';
import { ipcChannel, ipcEventChannel } from './ipc-channels.js';

const exposed = new Map<string, unknown>();
const invoked: Array<[string, unknown]> = [];
const listening: string[] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: null };
    },
    on: (channel: string) => listening.push(channel),
    removeListener: () => undefined,
  },
}));

beforeAll(async () => {
  await import('./index.js');
});

describe('preload bridge', () => {
  it('exposes exactly the contract methods under window.cofre.api', () => {
    const bridge = exposed.get('cofre') as CofreBridge;
    expect([...exposed.keys()]).toEqual(['cofre']);
    expect(Object.keys(bridge.api).sort()).toEqual([...apiMethods].sort());
    expect(Object.keys(bridge).sort()).toEqual(['api', 'desktop', 'onEvent']);
  });

  it('invokes each method on its own channel, and listens for events on the event channel', async () => {
    const bridge = exposed.get('cofre') as CofreBridge;
    for (const method of apiMethods) await (bridge.api[method] as (input: unknown) => Promise<unknown>)({});
    expect(invoked.map(([channel]) => channel)).toEqual(apiMethods.map((m) => ipcChannel(m)));
    bridge.onEvent(() => undefined);
    expect(listening).toEqual([ipcEventChannel]);
  });
});
