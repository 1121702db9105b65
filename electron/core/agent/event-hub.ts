// The agent's events on their way out: every subscriber (tray, windows, SSE clients, the CLI) gets
// each event; a listener that throws is logged and never stops the others. Status changes come in
// bursts (job progress, config saves), so they are coalesced into one status event.
import type { AgentStatus, ApiEvent } from '../api.js';
import { describeUnexpected } from './contract-call.js';
import type { LogPort } from './ports.js';

const statusCoalesceMs = 50;

export class EventHub {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private quiet = false;

  constructor(private readonly deps: { log: Pick<LogPort, 'error'>; status: () => AgentStatus }) {}

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.deps.log.error(`event listener: ${describeUnexpected(error)}`);
      }
    }
  }

  /** One status event for a burst of changes. */
  statusChanged(): void {
    if (this.statusTimer || this.quiet) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      if (this.quiet) return;
      try {
        this.emit({ type: 'status', data: this.deps.status() });
      } catch (error) {
        this.deps.log.error(`status: ${describeUnexpected(error)}`);
      }
    }, statusCoalesceMs);
    this.statusTimer.unref?.();
  }

  /** Shutting down: no more status events; the jobs' last events still go out until `close`. */
  silenceStatus(): void {
    this.quiet = true;
  }

  close(): void {
    this.quiet = true;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.listeners.clear();
  }
}
