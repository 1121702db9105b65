// "Test connection" in the settings: can restic reach the server, log in, and open the repository?
// The answer is a classified cause with a translated message and action, never an exception.
import type { ApiOutput } from '../api.js';
import type { Repo } from '../config/backrest-schema.js';
import { CofreError, toErrorPayload } from '../errors.js';
import type { AgentContext } from './agent.js';
import type { DraftSecrets } from './engines.js';

export async function testConnection(ctx: AgentContext, repo: Repo, secrets: DraftSecrets): Promise<ApiOutput<'testConnection'>> {
  const locale = ctx.locale();
  let resticVersion: string | null = null;
  try {
    const restic = await ctx.engines.restic();
    resticVersion = restic.capabilities.version.version;
    const engine = await ctx.engines.forDraft(withStoredSecrets(ctx, repo), secrets);
    await engine.catConfig();
    return { ok: true, initialized: true, cause: null, message: null, action: null, resticVersion };
  } catch (error) {
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
