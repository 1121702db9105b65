// The configuration store: config.json (Backrest format, version 4, 5 or 6) on disk, validated,
// written atomically, with the last good copies kept so a damaged file never stops backups.
// Secrets are split out into the SecretStore before anything touches the disk. The file keeps the
// version it was read with (a Backrest 1.10 machine keeps a file its Backrest can still open)
// unless the content needs version 6 (migrate.ts).
//
// Layout beside config.json:
//   backups/config.json.bak-<UTC timestamp>-m<modno>   last `backups` good versions (0600)
//   config.json.damaged-<UTC timestamp>               a damaged file set aside, never deleted
import { exceedsJsonLimits } from '../json-limits.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CofreError, toErrorPayload, type ErrorPayload } from '../errors.js';
import { getLocale, type Locale } from '../i18n/index.js';
import { deleteRepoSecrets, type SecretStore } from '../secrets/secret-store.js';
import { atomicWriteFile, ensurePrivateDir, removeStrayTempFiles } from './atomic-write.js';
import type { z } from 'zod';
import type { Config, configSchema } from './backrest-schema.js';
import { isExtraSecretKey, referencedExtraKeys } from './extra-secrets.js';
import { dropAutoInitializeBesideGuid, versionForSave } from './migrate.js';
import { normalizeBackrestJson } from './normalize.js';
import { configHasSecrets, moveSecretsOut } from './repo-secrets.js';
import { parseConfig } from './validate.js';

export interface ConfigStoreOptions {
  path: string;
  secrets: SecretStore;
  /** Good copies to keep (default 10). */
  backups?: number;
  /** Used to derive the instance id of a fresh config (default os.hostname()). */
  hostname?: string;
  now?: () => Date;
  locale?: Locale;
}

export interface LoadResult {
  config: Config;
  /** Set when config.json was unusable and this backup copy was loaded instead. */
  recoveredFrom?: string;
  /** What was wrong, translated, for the agent to tell the user. */
  problem?: ErrorPayload;
  /** True when there was no config.json and a fresh default config is in use (not yet saved). */
  fresh?: boolean;
}

/** What callers may propose: the schema's input shape (defaults not yet filled in); it is validated. */
export type ConfigInput = z.input<typeof configSchema>;
export type ConfigChange = ConfigInput | ((draft: Config) => ConfigInput | void);

/** Backrest's instance id for this machine: the host name in the id alphabet, at most 50 characters. */
export function instanceIdFromHostname(hostname: string): string {
  const cleaned = hostname.trim().toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 50).replace(/[-.]+$/, '');
  return cleaned.startsWith('_x_') || !cleaned ? 'cofre' : cleaned;
}

export function defaultConfig(hostname: string = os.hostname()): Config {
  return { modno: 0, version: 6, instance: instanceIdFromHostname(hostname), repos: [], plans: [] };
}

export function serializeConfig(config: Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export class ConfigStore {
  readonly path: string;
  readonly backupDir: string;
  private readonly secrets: SecretStore;
  private readonly keep: number;
  private readonly hostname: string;
  private readonly now: () => Date;
  private readonly locale: Locale | undefined;
  private current: Config | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ConfigStoreOptions) {
    this.path = path.resolve(options.path);
    this.backupDir = path.join(path.dirname(this.path), 'backups');
    this.secrets = options.secrets;
    this.keep = Math.max(1, options.backups ?? 10);
    this.hostname = options.hostname ?? os.hostname();
    this.now = options.now ?? (() => new Date());
    this.locale = options.locale;
  }

  private get baseName(): string {
    return path.basename(this.path);
  }

  async load(): Promise<LoadResult> {
    return this.serialised(() => this.loadNow());
  }

  /** The loaded config (secret-free). Throws if load() was never called. */
  get(): Config {
    if (!this.current) throw new Error('ConfigStore.get() before load()');
    return structuredClone(this.current);
  }

  /**
   * Validates and saves a new config. `expectedModno` is the modno the caller's copy was based
   * on: if anyone saved in between (this process or another), the update is refused with
   * CofreError('error.conflict') instead of silently overwriting their change.
   */
  async update(change: ConfigChange, expectedModno: number, options: { modnoAtLeast?: number } = {}): Promise<Config> {
    return this.serialised(async () => {
      if (!this.current) await this.loadNow();
      const current = this.current as Config;
      const onDisk = await this.readValid(this.path).catch(() => undefined);
      if (onDisk && onDisk.modno !== current.modno) {
        // Another process saved: adopt its version so the caller's reload sees it.
        this.current = onDisk;
        throw new CofreError('error.conflict');
      }
      if (expectedModno !== current.modno) throw new CofreError('error.conflict');

      const draft = structuredClone(current);
      const proposed = typeof change === 'function' ? (change(draft) ?? draft) : change;
      // An import may bring a higher modno (Backrest's own count): it is kept, so no file written
      // later goes back in Backrest's read-modify-write numbering.
      const modno = Math.max(current.modno, options.modnoAtLeast ?? 0) + 1;
      const parsed = versionForSave(parseConfig({ ...proposed, modno }, this.locale ?? getLocale()));
      const { config } = await moveSecretsOut(parsed, this.secrets);
      await this.save(config);
      const remaining = new Set(config.repos.map((r) => r.id));
      for (const repo of current.repos) if (!remaining.has(repo.id)) await deleteRepoSecrets(this.secrets, repo.id);
      // Hook and multihost secrets nothing refers to any more (the hook was removed or retyped).
      const stillReferenced = referencedExtraKeys(config);
      for (const key of referencedExtraKeys(current)) if (isExtraSecretKey(key) && !stillReferenced.has(key)) await this.secrets.delete(key);
      return structuredClone(config);
    });
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async loadNow(): Promise<LoadResult> {
    const dir = path.dirname(this.path);
    await removeStrayTempFiles(dir, this.baseName);
    let raw: string;
    try {
      raw = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.current = defaultConfig(this.hostname);
        return { config: this.get(), fresh: true };
      }
      return this.recover(new CofreError('config.unreadable', { params: { file: this.path }, detail: (error as Error).message }));
    }

    let config: Config;
    let healed: boolean;
    try {
      ({ config, healed } = this.parseOwnText(raw));
    } catch (error) {
      return this.recover(error);
    }

    // Backrest only warns about an empty instance; Cofre needs one for its snapshot tags.
    const unnamed = config.instance === '';
    if (unnamed) config = { ...config, instance: instanceIdFromHostname(this.hostname) };
    if (configHasSecrets(config) || unnamed || healed) {
      // A hand-edited or older file with passwords: move them out and rewrite it at once.
      config = (await moveSecretsOut(versionForSave(config), this.secrets)).config;
      config = { ...config, modno: config.modno + 1 };
      await this.save(config);
    } else {
      this.current = config;
      await this.keepGoodCopy(config, false);
    }
    return { config: this.get() };
  }

  private parseText(raw: string): Config {
    return this.parseOwnText(raw).config;
  }

  /** Cofre's own file, with what older Cofre releases wrote and Backrest refuses put right (`healed`). */
  private parseOwnText(raw: string): { config: Config; healed: boolean } {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new CofreError('config.notJson', { params: { file: this.path }, detail: (error as Error).message });
    }
    if (exceedsJsonLimits(json)) throw new CofreError('config.notJson', { params: { file: this.path }, detail: 'nested too deeply' });
    const canonical = normalizeBackrestJson(json).json;
    const healed = dropAutoInitializeBesideGuid(canonical).length > 0;
    return { config: parseConfig(canonical, this.locale ?? getLocale()), healed };
  }

  private async readValid(file: string): Promise<Config> {
    return this.parseText(await fs.readFile(file, 'utf8'));
  }

  private async recover(reason: unknown): Promise<LoadResult> {
    const locale = this.locale ?? getLocale();
    const original = toErrorPayload(reason, locale);
    const kept = await this.setAsideDamaged();
    for (const backup of await this.listBackups()) {
      try {
        const config = await this.readValid(backup);
        this.current = (await moveSecretsOut(config, this.secrets)).config;
        const problem = new CofreError('config.recovered', { params: { file: this.path, backup }, detail: original.message, ...(original.fields ? { fields: original.fields } : {}) });
        return { config: this.get(), recoveredFrom: backup, problem: problem.toPayload(locale) };
      } catch {
        // try the next older copy
      }
    }
    this.current = defaultConfig(this.hostname);
    const problem = new CofreError('config.noGoodCopy', { params: { file: this.path, kept: kept ?? this.path }, detail: original.message, ...(original.fields ? { fields: original.fields } : {}) });
    return { config: this.get(), problem: problem.toPayload(locale) };
  }

  /**
   * Copies a damaged config.json aside so the user's hand edits are not lost by the next save.
   * The copy may hold secrets (a hand-edited file with passwords), so it is a new 0600 file whatever
   * mode config.json had. A file already set aside with the same content is reused: every start
   * of a machine stuck with a damaged config would otherwise leave one more copy.
   */
  private async setAsideDamaged(): Promise<string | undefined> {
    try {
      const content = await fs.readFile(this.path);
      const dir = path.dirname(this.path);
      const prefix = `${this.baseName}.damaged-`;
      const earlier = (await fs.readdir(dir)).filter((name) => name.startsWith(prefix)).sort().reverse();
      for (const name of earlier) {
        const copy = path.join(dir, name);
        const same = await fs.readFile(copy).then((kept) => kept.equals(content), () => false);
        if (same) return copy;
      }
      const target = `${this.path}.damaged-${stamp(this.now())}`;
      await atomicWriteFile(target, content, 0o600);
      return target;
    } catch {
      return undefined;
    }
  }

  private async save(config: Config): Promise<void> {
    await ensurePrivateDir(path.dirname(this.path));
    try {
      await atomicWriteFile(this.path, serializeConfig(config), 0o600);
    } catch (error) {
      throw new CofreError('config.writeFailed', { params: { file: this.path }, detail: (error as Error).message });
    }
    this.current = config;
    await this.keepGoodCopy(config, true);
  }

  /** Newest first. */
  async listBackups(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.backupDir);
    } catch {
      return [];
    }
    const prefix = `${this.baseName}.bak-`;
    return names.filter((n) => n.startsWith(prefix)).sort().reverse().map((n) => path.join(this.backupDir, n));
  }

  private async keepGoodCopy(config: Config, force: boolean): Promise<void> {
    const text = serializeConfig(config);
    const existing = await this.listBackups();
    if (!force && existing[0]) {
      const newest = await fs.readFile(existing[0], 'utf8').catch(() => '');
      if (newest === text) return;
    }
    try {
      await ensurePrivateDir(this.backupDir);
      await atomicWriteFile(path.join(this.backupDir, `${this.baseName}.bak-${stamp(this.now())}-m${String(config.modno).padStart(8, '0')}`), text, 0o600);
      for (const old of (await this.listBackups()).slice(this.keep)) await fs.rm(old, { force: true });
    } catch {
      // A failed backup copy must not fail the save itself; the next save tries again.
    }
  }
}
