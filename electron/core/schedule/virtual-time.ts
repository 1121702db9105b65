// A deterministic stand-in for the wall clock and setTimeout, for tests and simulations of
// days of scheduling in milliseconds. Like a real OS it keeps two clocks: timers run on a
// monotonic clock, while sleeping or changing the system time moves only the wall clock (a
// timer armed before a suspend fires late, measured on the wall clock).
export class VirtualTime {
  private wall: number;
  private mono = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; seq: number; callback: () => void }>();

  constructor(start: Date) {
    this.wall = start.getTime();
  }

  readonly now = (): Date => new Date(this.wall);

  /** The monotonic clock timers run on (ms since the start): sleeping and clock changes do not move it. */
  readonly monotonic = (): number => this.mono;

  readonly setTimer = (callback: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.mono + Math.max(0, ms), seq: id, callback });
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Runs the earliest timer (moving both clocks to it); false when none is armed. */
  runNext(): boolean {
    let next: { id: number; at: number; seq: number; callback: () => void } | null = null;
    for (const [id, timer] of this.timers) {
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = { id, ...timer };
    }
    if (!next) return false;
    this.timers.delete(next.id);
    this.wall += next.at - this.mono;
    this.mono = next.at;
    next.callback();
    return true;
  }

  /** Lets `ms` pass with the machine awake: every timer due meanwhile runs in order. */
  advanceBy(ms: number): void {
    const target = this.mono + ms;
    for (;;) {
      const earliest = Math.min(...[...this.timers.values()].map((t) => t.at));
      if (!(earliest <= target) || !this.runNext()) break;
    }
    this.wall += target - this.mono;
    this.mono = target;
  }

  advanceTo(date: Date): void {
    this.advanceBy(date.getTime() - this.wall);
  }

  /** The machine sleeps (or is off) for `ms`: the wall clock moves, no timer runs. */
  sleep(ms: number): void {
    this.wall += ms;
  }

  /** The system clock is changed by `ms` (may be negative). */
  shiftWallClock(ms: number): void {
    this.wall += ms;
  }
}
