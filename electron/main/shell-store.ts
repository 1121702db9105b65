// Opens the shell's state (shell-state.ts) in electron-store, in the profile's data dir so an
// isolated profile (COFRE_DATA_DIR) keeps its own. electron-store is loaded when the app starts
// rather than bundled: it stays out of the main bundle, and a store that cannot be opened (a
// damaged file, a missing module) leaves the shell working with what it remembers in memory.
import { memoryBackend, ShellState, type StateBackend } from './shell-state.js';

type StoreConstructor = new (options: { name: string; cwd: string; clearInvalidConfig: boolean }) => StateBackend;

export async function openShellState(dataDir: string, warn: (message: string) => void): Promise<ShellState> {
  const module = 'electron-store';
  try {
    const { default: Store } = (await import(module)) as { default: StoreConstructor };
    return new ShellState(new Store({ name: 'shell-state', cwd: dataDir, clearInvalidConfig: true }));
  } catch (error) {
    warn(`shell state: ${error instanceof Error ? error.message : String(error)}; window places and shown notifications are kept in memory only`);
    return new ShellState(memoryBackend());
  }
}
