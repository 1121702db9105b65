// "Test connection" in the settings: can restic reach the server, log in, and open the repository?
// The answer is a classified cause with a translated message and action, never an exception.
import type { ApiOutput } from '../api.js';
import type { Repo } from '../config/backrest-schema.js';
import { CofreError, toErrorPayload } from '../errors.js';
import type { AgentContext } from './agent.js';
import type { DraftSecrets } from './engines.js';

const testTimeoutMs = 20_000;

export async function testConnection(ctx: AgentContext, repo: Repo, secrets: DraftSecrets): Promise<ApiOutput<'testConnection'>> {
  const locale = ctx.locale();
  let resticVersion: string | null = null;
  try {
    const restic = await ctx.engines.restic();
    resticVersion = restic.capabilities.version.version;
    // A person is waiting for this answer: restic's own retries of an unreachable server would
    // keep the button spinning for minutes.
    const engine = await ctx.engines.forDraft(withStoredSecrets(ctx, repo), secrets, { unreachableGiveUpMs: 10_000 });
    await engine.catConfig({ signal: AbortSignal.timeout(testTimeoutMs) });
    return { ok: true, initialized: true, cause: null, message: null, action: null, resticVersion };
  } catch (caught) {
    // Out of time means the server did not answer usefully: say so, not "cancelled".
    const error = caught instanceof CofreError && caught.failure === 'cancelled' ? CofreError.fromCause('server-unreachable') : caught;
    const payload = toErrorPayload(error, locale);
    const cause = error instanceof CofreError ? (error.failure ?? 'unknown') : 'unknown';
    if (error instanceof CofreError && !error.failure) ctx.log.info(`test connection ${repo.id}: ${payload.message}`);
    return {
      // The server answered and the credentials work, there is just no repository yet: a
      // technician can initialise it from here.
      ok: cause === 'no-repository',
      initialized: false,
      cause,
      message: ctx.log.scrub(payload.message),
      action: payload.action ?? null,
      resticVersion,
    };
  }
}

/** A draft of an existing repository keeps the stored secrets unless new ones were typed. */
function withStoredSecrets(ctx: AgentContext, draft: Repo): Repo {
  const existing = ctx.config().repos.find((r) => r.id === draft.id);
  if (!existing) return draft;
  return { ...draft, password: draft.password ?? existing.password };
}
