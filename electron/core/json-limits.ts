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
