// The placement journal on disk: what the move phase of a restore is about to do, written and
// fsync'd before it is done, so a restore killed half-way (kill -9, power cut) can be undone when
// Cofre starts again (placement-recovery.ts). Append-only JSON lines in the data dir; removed when
// the placement ends either way.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export const JOURNAL_DIR_NAME = 'restore-journals';
const JOURNAL_SUFFIX = '.jsonl';

export function restoreJournalDir(dataDir: string): string {
  return path.join(dataDir, JOURNAL_DIR_NAME);
}

export interface JournalHeader {
  kind: 'header';
  version: 1;
  pid: number;
  startedAt: string;
  /** The destination folder the restore writes into (also the root of the no-follow checks). */
  base: string;
  staging: string;
  replacedFolder: string;
  repoId?: string;
  snapshotId?: string;
  /** Service mode: the OS user the moves were made as; the rollback is made as them too. */
  owner?: { uid: number; gid: number; username: string };
}

/** One file-system change the placement is about to make. */
export type JournalIntent = { kind: 'mkdir'; path: string } | { kind: 'move'; from: string; to: string };

export interface JournalFile {
  file: string;
  header: JournalHeader;
  intents: JournalIntent[];
}

/** Journals this process is writing: never "recovered" by an agent started in the same process. */
export const openJournals = new Set<string>();

export class PlacementJournal {
  private constructor(
    readonly file: string,
    private handle: FileHandle | null,
  ) {}

  static async open(dir: string, header: Omit<JournalHeader, 'kind' | 'version' | 'pid' | 'startedAt'>): Promise<PlacementJournal> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${process.pid}-${randomBytes(6).toString('hex')}${JOURNAL_SUFFIX}`);
    const handle = await open(file, 'ax', 0o600);
    const journal = new PlacementJournal(file, handle);
    openJournals.add(file);
    const full: JournalHeader = { kind: 'header', version: 1, pid: process.pid, startedAt: new Date().toISOString(), ...header };
    await journal.append([full]);
    await syncDir(dir);
    return journal;
  }

  /** Appends and fsyncs: only after this returns may the intents be carried out. */
  async append(lines: Array<JournalIntent | JournalHeader>): Promise<void> {
    if (!this.handle || lines.length === 0) return;
    await this.handle.write(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    await this.handle.sync();
  }

  /** The placement ended (done or undone in process): nothing is left to recover. */
  async remove(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await rm(this.file, { force: true });
    openJournals.delete(this.file);
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the new journal's name durable too; not every platform can open a folder (Windows).
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/** A journal made for a service user names them fully; one that does not is never undone as root. */
function validOwner(owner: unknown): boolean {
  if (owner === undefined) return true;
  const o = owner as Partial<NonNullable<JournalHeader['owner']>>;
  return Number.isSafeInteger(o.uid) && Number.isSafeInteger(o.gid) && typeof o.username === 'string' && o.username !== '';
}

/** Every journal in `dir`, parsed; a torn last line (killed mid-write) is ignored, it was never acted on. */
export async function readJournals(dir: string): Promise<Array<JournalFile | { file: string; damaged: true }>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(JOURNAL_SUFFIX));
  } catch {
    return [];
  }
  const out: Array<JournalFile | { file: string; damaged: true }> = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
    const parsed: unknown[] = [];
    for (const line of lines) {
      try {
        parsed.push(JSON.parse(line));
      } catch {
        break;
      }
    }
    const [header, ...rest] = parsed as [JournalHeader | undefined, ...JournalIntent[]];
    if (header?.kind !== 'header' || typeof header.staging !== 'string' || typeof header.base !== 'string' || !validOwner(header.owner)) {
      out.push({ file, damaged: true });
      continue;
    }
    const intents = rest.filter((i): i is JournalIntent =>
      (i?.kind === 'mkdir' && typeof i.path === 'string') || (i?.kind === 'move' && typeof i.from === 'string' && typeof i.to === 'string'));
    out.push({ file, header, intents });
  }
  return out;
}
