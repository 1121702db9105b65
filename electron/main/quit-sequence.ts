// Graceful quit: stop accepting work, let the agent interrupt running restic processes (SIGINT, so
// restic removes its lock) and wait for them, but never longer than a bound: a hung child must not
// keep a quitting app alive. Pure orchestration with injected effects, unit-tested with a fake agent.
export interface ShutdownTarget {
  shutdown(timeoutMs: number): Promise<void>;
}

export interface QuitEffects {
  closeWindows(): void;
  destroyTray(): void;
  exit(code: number): void;
  log(message: string): void;
  /** Timer (injected so tests need not wait). */
  delay(ms: number): Promise<void>;
}

export interface QuitOptions {
  /** Time the agent gets to stop jobs (it passes it on to restic). */
  agentTimeoutMs: number;
  /** Extra time beyond agentTimeoutMs before giving up on the agent altogether. */
  graceMs: number;
}

export const defaultQuitOptions: QuitOptions = { agentTimeoutMs: 10_000, graceMs: 2_000 };

/** Runs the quit sequence once; later calls return the same promise (double-clicked "Quit"). */
export function createQuitSequence(getAgent: () => ShutdownTarget | null, effects: QuitEffects, options: QuitOptions = defaultQuitOptions) {
  let running: Promise<void> | null = null;

  async function sequence(): Promise<void> {
    effects.closeWindows();
    const agent = getAgent();
    let code = 0;
    if (agent) {
      const outcome = await Promise.race([
        agent.shutdown(options.agentTimeoutMs).then(() => 'stopped' as const, (error: unknown) => {
          effects.log(`agent shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          return 'failed' as const;
        }),
        effects.delay(options.agentTimeoutMs + options.graceMs).then(() => 'timeout' as const),
      ]);
      if (outcome === 'timeout') effects.log(`agent did not stop within ${options.agentTimeoutMs + options.graceMs} ms; exiting anyway`);
      if (outcome !== 'stopped') code = 1;
    }
    effects.destroyTray();
    effects.exit(code);
  }

  return {
    get started(): boolean {
      return running !== null;
    },
    run(): Promise<void> {
      running ??= sequence();
      return running;
    },
  };
}
