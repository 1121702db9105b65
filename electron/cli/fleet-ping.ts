// Healthchecks-style monitoring ping after `cofre fleet --check --ping URL`: POST the summary to
// URL when all is well, to URL + "/fail" when not. A ping that fails (monitor down, timeout) is
// reported on stderr but never changes the audit's exit code: the audit itself did run.

export interface PingResult {
  ok: boolean;
  /** HTTP status, or the network error's text. */
  reason: string;
}

export function pingUrl(base: string, failed: boolean): string {
  return failed ? `${base.replace(/\/+$/, '')}/fail` : base;
}

export async function sendPing(base: string, failed: boolean, body: string, timeoutMs = 10_000): Promise<PingResult> {
  try {
    const response = await fetch(pingUrl(base, failed), {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: response.ok, reason: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: cause ?? (error instanceof Error ? error.name : String(error)) };
  }
}
