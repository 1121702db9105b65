// Secret stores kept in one JSON file beside the config. Every operation re-reads the file so the
// tray app and the CLI (two processes) see each other's changes; writes are atomic (temp + fsync +
// rename) and serialised inside the process.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CofreError } from '../errors.js';
import { atomicWriteFile, ensurePrivateDir } from '../config/atomic-write.js';
import type { SecretStore } from './secret-store.js';

interface SecretFile {
  version: 1;
  /** 'plain' values are the secrets themselves; 'encrypted' values are base64 ciphertexts. */
  kind: 'plain' | 'encrypted';
  values: Record<string, string>;
}

abstract class JsonFileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  protected constructor(
    readonly file: string,
    private readonly kind: SecretFile['kind'],
  ) {}

  protected abstract encode(value: string): string;
  protected abstract decode(stored: string): string;

  async get(key: string): Promise<string | undefined> {
    const stored = (await this.read())[key];
    return stored === undefined ? undefined : this.decode(stored);
  }

  async set(key: string, value: string): Promise<void> {
    const encoded = this.encode(value);
    await this.mutate((values) => {
      values[key] = encoded;
    });
  }

  async delete(key: string): Promise<void> {
    await this.mutate((values) => {
      delete values[key];
    });
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.read()).sort();
  }

  private async read(): Promise<Record<string, string>> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CofreError('secrets.unreadable', { params: { file: this.file }, detail: (error as Error).message });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Never echo the content: it holds secrets.
      throw new CofreError('secrets.unreadable', { params: { file: this.file }, detail: 'not valid JSON' });
    }
    const file = parsed as Partial<SecretFile> | null;
    if (!file || typeof file !== 'object' || file.kind !== this.kind || typeof file.values !== 'object' || file.values === null) {
      throw new CofreError('secrets.unreadable', { params: { file: this.file }, detail: `expected a "${this.kind}" secret file` });
    }
    const values: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(file.values)) if (typeof value === 'string') values[key] = value;
    return values;
  }

  private mutate(change: (values: Record<string, string>) => void): Promise<void> {
    const run = async () => {
      const values = await this.read();
      change(values);
      const content: SecretFile = { version: 1, kind: this.kind, values: { ...values } };
      await ensurePrivateDir(path.dirname(this.file));
      await atomicWriteFile(this.file, `${JSON.stringify(content, null, 2)}\n`, 0o600);
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Headless secret store: plain values in a JSON file with mode 0600 inside a 0700 folder.
 * It is protected ONLY by file permissions (like ~/.ssh keys without a passphrase): anyone who
 * can read the file as this user, or as an administrator, or from an unencrypted disk image, can
 * read the secrets. Use it for servers and the CLI; the tray app uses EncryptedSecretStore.
 */
export class FileSecretStore extends JsonFileSecretStore {
  constructor(file: string) {
    super(file, 'plain');
  }

  protected encode(value: string): string {
    return value;
  }

  protected decode(stored: string): string {
    return stored;
  }
}

/** What the Electron shell passes in: `safeStorage` (DPAPI on Windows, Keychain, libsecret). */
export interface StringEncryptor {
  encrypt(plain: string): Buffer;
  decrypt(buf: Buffer): string;
  isAvailable(): boolean;
}

/** Secrets encrypted by the operating system, stored as base64 ciphertexts in a 0600 file. */
export class EncryptedSecretStore extends JsonFileSecretStore {
  constructor(
    file: string,
    private readonly encryptor: StringEncryptor,
  ) {
    super(file, 'encrypted');
  }

  protected encode(value: string): string {
    this.assertAvailable();
    return this.encryptor.encrypt(value).toString('base64');
  }

  protected decode(stored: string): string {
    this.assertAvailable();
    try {
      return this.encryptor.decrypt(Buffer.from(stored, 'base64'));
    } catch (error) {
      throw new CofreError('secrets.decryptFailed', { params: { file: this.file }, detail: (error as Error).message });
    }
  }

  private assertAvailable(): void {
    if (!this.encryptor.isAvailable()) throw new CofreError('secrets.encryptionUnavailable');
  }
}
