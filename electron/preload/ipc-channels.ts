// The IPC channel names, in one place for both sides: the preload invokes them, the main process
// handles them (electron/main/ipc-guard.ts checks the sender). No imports, so the sandboxed
// preload bundle stays tiny.
const ipcChannelPrefix = 'cofre:';
/** Agent events, main -> windows (electron/main/event-sender.ts is the one place that sends them). */
export const ipcEventChannel = 'cofre:event';
/** What only the desktop host offers (the OS folder picker, the file manager). */
export const ipcDesktopChannels = { pickFolder: 'cofre-desktop:pickFolder', openPath: 'cofre-desktop:openPath' } as const;

/** The channel of a contract method: `cofre:<method>`. */
export function ipcChannel(method: string): string {
  return `${ipcChannelPrefix}${method}`;
}
