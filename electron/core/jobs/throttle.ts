// Progress throttle: at most one delivery per interval, always the latest value, and a final flush
// so listeners never miss where a job ended. restic prints status lines far faster than any UI needs.

export interface Throttle<T> {
  push(value: T): void;
  /** Delivers a pending value now (if any) and stops the timer. */
  flush(): void;
}

export function throttleLatest<T>(
  deliver: (value: T) => void,
  intervalMs: number,
  now: () => number = Date.now,
): Throttle<T> {
  let lastDelivered = -Infinity;
  let pending: { value: T } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const emitPending = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    lastDelivered = now();
    deliver(value);
  };

  return {
    push(value) {
      if (closed) return;
      pending = { value };
      const wait = lastDelivered + intervalMs - now();
      if (wait <= 0) {
        if (timer) clearTimeout(timer);
        emitPending();
      } else if (!timer) {
        timer = setTimeout(emitPending, wait);
        // A pending progress tick must not keep a CLI process alive.
        timer.unref?.();
      }
    },
    flush() {
      if (timer) clearTimeout(timer);
      emitPending();
      closed = true;
    },
  };
}
