// Bounds on the shape of JSON that crosses a boundary. Schemas keep unknown fields (Backrest
// compatibility), so without a bound a hostile input could nest deep enough to overflow the stack
// of every recursive walk that comes later (validation, cloning, serialising). Iterative, so the
// check itself cannot overflow.
export const maxJsonDepth = 64;
export const maxJsonNodes = 500_000;

/** True when `value` nests deeper than `maxDepth` or holds more than `maxNodes` values. */
export function exceedsJsonLimits(value: unknown, maxDepth = maxJsonDepth, maxNodes = maxJsonNodes): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (++nodes > maxNodes) return true;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return true;
    const children = Array.isArray(current) ? current : Object.values(current as Record<string, unknown>);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The budget of one request through the contract, the same on every face: HTTP refuses a larger
 * body before parsing (electron/server), the Electron IPC path gets objects already built, so
 * `agent.call` measures them here before any schema work. 480k keys would otherwise cost seconds
 * of validation and an error listing every one of them.
 */
export const requestLimits = { maxValues: 50_000, maxDepth: maxJsonDepth, maxBytes: 6_000_000 } as const;
export const maxReportedProblems = 20;

export type RequestExcess = { limit: 'values' | 'depth' | 'bytes'; max: number };

/**
 * The first limit `value` exceeds, or null. Iterative and stops at the first excess, so a huge
 * input is refused for the cost of walking its first `maxValues` values. Bytes are what its JSON
 * would take, counted from string lengths (an estimate that never undercounts ASCII).
 */
export function requestExcess(value: unknown, limits: { maxValues: number; maxDepth: number; maxBytes: number } = requestLimits): RequestExcess | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let values = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (++values > limits.maxValues) return { limit: 'values', max: limits.maxValues };
    bytes += typeof current === 'string' ? current.length + 3 : 6;
    if (bytes > limits.maxBytes) return { limit: 'bytes', max: limits.maxBytes };
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limits.maxDepth) return { limit: 'depth', max: limits.maxDepth };
    if (Array.isArray(current)) {
      if (values + stack.length + current.length > limits.maxValues) return { limit: 'values', max: limits.maxValues };
      for (const child of current) stack.push([child, depth + 1]);
      continue;
    }
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      bytes += key.length + 3;
      stack.push([(current as Record<string, unknown>)[key], depth + 1]);
      // Checked while pushing: one object of 480k keys must not be walked whole first.
      if (values + stack.length > limits.maxValues) return { limit: 'values', max: limits.maxValues };
    }
  }
  return null;
}
