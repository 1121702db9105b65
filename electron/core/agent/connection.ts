// "Test connection" in the settings: can restic reach the server, log in, and open the repository?
// The answer is a classified cause with a translated message and action, never an exception,
// plus the diagnostics of the repository's settings (what it gets wrong even when it connects).
import type { ApiOutput, RepoSecrets } from '../api.js';
import type { Config, Repo } from '../config/backrest-schema.js';
import { diagnoseConfig, diagnoseRepo, type Diagnostic } from '../config/diagnostics.js';
import { withSecretsRestored } from '../config/repo-secrets.js';
import { CofreError, toErrorPayload } from '../errors.js';
import type { EnginesPort, LogPort, SettingsPort } from './ports.js';
import type { Locale } from '../i18n/index.js';

export interface ConnectionDeps {
  engines: Pick<EnginesPort, 'restic' | 'forDraft'>;
  settings: Pick<SettingsPort, 'effective' | 'secrets'>;
  log: Pick<LogPort, 'info' | 'scrub'>;
  env: NodeJS.ProcessEnv;
  locale(): Locale;
}

// A person waits for this answer, promised within 20 s: 15 s of trying leaves time to stop restic
// and answer even on a busy machine.
const testTimeoutMs = 15_000;

export async function testConnection(ctx: ConnectionDeps, repo: Repo, secrets: RepoSecrets): Promise<ApiOutput<'testConnection'>> {
  const locale = ctx.locale();
  const diagnostics = await repoDiagnostics(ctx, repo).catch(() => []);
  let resticVersion: string | null = null;
  try {
    const restic = await ctx.engines.restic();
    resticVersion = restic.capabilities.version.version;
    // A person is waiting for this answer: restic's own retries of an unreachable server would
    // keep the button spinning for minutes.
    const engine = await ctx.engines.forDraft(withStoredSecrets(ctx, repo), secrets, { unreachableGiveUpMs: 8_000 });
    await engine.catConfig({ signal: AbortSignal.timeout(testTimeoutMs) });
    return { ok: true, initialized: true, cause: null, message: null, action: null, resticVersion, diagnostics };
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
      diagnostics,
    };
  }
}

/** A draft of an existing repository keeps the stored secrets unless new ones were typed. */
function withStoredSecrets(ctx: ConnectionDeps, draft: Repo): Repo {
  const existing = ctx.settings.effective().repos.find((r) => r.id === draft.id);
  if (!existing) return draft;
  return { ...draft, password: draft.password ?? existing.password };
}

/** The repository as Backrest would hold it (secret env entries back in `env`), for diagnostics. */
async function asWritten(ctx: ConnectionDeps, repo: Repo): Promise<Repo> {
  return withSecretsRestored(repo, ctx.settings.secrets);
}

async function repoDiagnostics(ctx: ConnectionDeps, repo: Repo): Promise<Diagnostic[]> {
  return diagnoseRepo(await asWritten(ctx, repo), ctx.env, ctx.locale());
}

/** diagnoseConfig of the contract: the saved config, or one repository being edited. */
export async function diagnoseSettings(ctx: ConnectionDeps, draft?: Repo): Promise<ApiOutput<'diagnoseConfig'>> {
  if (draft) return { diagnostics: await repoDiagnostics(ctx, draft) };
  const config = ctx.settings.effective();
  const repos = await Promise.all(config.repos.map((repo) => asWritten(ctx, repo)));
  const full: Config = { ...config, repos };
  return { diagnostics: diagnoseConfig(full, ctx.env, ctx.locale()) };
}
