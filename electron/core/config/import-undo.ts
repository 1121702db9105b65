// One level of "undo import". Before an import writes anything, the current user config (it is
// secret-free) goes to a private file beside config.json, and the secrets of every repository the
// import may touch are copied inside the secret store under their own prefix, so no secret ever
// sits in a plain file that the secret store would not otherwise use:
//
//   <config dir>/import-undo.json                     { takenAt, mode, config, repoIds, secretKeys, ... } (0600)
//   import-undo/<generation>/<original key>            in the SecretStore, e.g. import-undo/k3f.../repo/nas/password
//
// Restoring puts the config back through ConfigStore (fresh modno) and the secrets of those
// repositories back exactly: what the import added is deleted, what it replaced or removed returns.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile, ensurePrivateDir } from './atomic-write.js';
import type { Config } from './backrest-schema.js';
import type { ImportMode } from './import-merge.js';
import type { SecretStore } from '../secrets/secret-store.js';

export const undoSecretPrefix = 'import-undo/';

export interface UndoRecord {
  version: 1;
  takenAt: string;
  mode: ImportMode;
  /** The user config before the import (secret-free). */
  config: Config;
  /** Repositories whose secrets are restored (every key `repo/<id>/...` of these is reset). */
  repoIds: string[];
  /** Original keys whose values were saved under `import-undo/<generation>/`. */
  secretKeys: string[];
  generation: string;
  /** modno the import saved: a different current modno means the config was edited since. */
  modnoAfter: number | null;
}

export interface UndoInfo {
  takenAt: string;
  mode: ImportMode;
  changedSince: boolean;
}

const repoPrefix = (repoId: string) => `repo/${repoId}/`;

export class ImportUndo {
  readonly file: string;

  constructor(
    configPath: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(path.dirname(path.resolve(configPath)), 'import-undo.json');
  }

  async read(): Promise<UndoRecord | null> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const record = JSON.parse(raw) as UndoRecord;
      if (record?.version !== 1 || typeof record.takenAt !== 'string' || !record.config || !Array.isArray(record.repoIds) || !Array.isArray(record.secretKeys)) return null;
      return record;
    } catch {
      return null;
    }
  }

  async info(currentModno: number): Promise<UndoInfo | null> {
    const record = await this.read();
    if (!record) return null;
    return { takenAt: record.takenAt, mode: record.mode, changedSince: record.modnoAfter !== null && record.modnoAfter !== currentModno };
  }

  /**
   * Saves `previous` and the current secrets of `repoIds` as a new undo level, replacing the old
   * one only once the new one is complete. Returns a handle to confirm (after the import saved)
   * or to roll back (the import failed: the store's secrets are put back and the old level kept).
   */
  async take(previous: Config, repoIds: string[], mode: ImportMode, now: Date): Promise<PendingUndo> {
    const old = await this.read();
    const generation = `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
    const keys = (await this.secrets.keys()).filter((key) => repoIds.some((id) => key.startsWith(repoPrefix(id))));
    for (const key of keys) {
      const value = await this.secrets.get(key);
      if (value !== undefined) await this.secrets.set(`${undoSecretPrefix}${generation}/${key}`, value);
    }
    const record: UndoRecord = { version: 1, takenAt: now.toISOString(), mode, config: previous, repoIds, secretKeys: keys, generation, modnoAfter: null };
    await this.write(record);
    return {
      confirm: async (modnoAfter) => {
        await this.write({ ...record, modnoAfter });
        if (old) await this.dropSecrets(old.generation);
      },
      rollback: async () => {
        await this.restoreSecrets(record);
        await this.dropSecrets(generation);
        if (old) await this.write(old);
        else await fs.rm(this.file, { force: true });
      },
    };
  }

  /** Puts the saved secrets back: every secret of the record's repos is reset to what it was. */
  async restoreSecrets(record: UndoRecord): Promise<void> {
    for (const key of await this.secrets.keys()) {
      if (record.repoIds.some((id) => key.startsWith(repoPrefix(id)))) await this.secrets.delete(key);
    }
    for (const key of record.secretKeys) {
      const value = await this.secrets.get(`${undoSecretPrefix}${record.generation}/${key}`);
      if (value !== undefined) await this.secrets.set(key, value);
    }
  }

  /** Forgets the undo level (after it was used). */
  async clear(record: UndoRecord): Promise<void> {
    await fs.rm(this.file, { force: true });
    await this.dropSecrets(record.generation);
  }

  private async dropSecrets(generation: string): Promise<void> {
    const prefix = `${undoSecretPrefix}${generation}/`;
    for (const key of await this.secrets.keys()) if (key.startsWith(prefix)) await this.secrets.delete(key);
  }

  private async write(record: UndoRecord): Promise<void> {
    await ensurePrivateDir(path.dirname(this.file));
    await atomicWriteFile(this.file, `${JSON.stringify(record, null, 2)}\n`, 0o600);
  }
}

export interface PendingUndo {
  confirm(modnoAfter: number): Promise<void>;
  rollback(): Promise<void>;
}
