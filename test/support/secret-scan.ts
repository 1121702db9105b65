// The security scan of issue 7 item 4: after a fault test has run, look for every secret (and its
// URL-encoded form) in everything that was captured and everything Cofre left on disk, except the
// secret store itself, whose job is to hold them.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Capture } from './agent-rig.js';
import { dumpSqlite } from './agent-rig.js';

export interface Leak {
  secret: string;
  where: string;
}

/** Files that hold secrets by design (the plain-file secret store) or opaque restic data. */
const skippedFiles = new Set(['secrets.json']);
const skippedDirs = new Set(['restic']);

function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
}

function findIn(text: string, where: string, secrets: readonly string[], leaks: Leak[]): void {
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      if (text.includes(form)) leaks.push({ secret: form === secret ? secret : `${secret} (as ${form})`, where });
    }
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) out.push(...(await filesUnder(full)));
    } else if (entry.isFile() && !skippedFiles.has(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/**
 * Scans captured events, results and CLI output, then every file below `dataDirs` (log, config,
 * config backups, damaged copies, history and index databases read row by row and as raw bytes).
 * Returns what it found (empty = clean) and how much it read, for the report.
 */
export async function scanForSecrets(
  captures: Capture[],
  dataDirs: string[],
  secrets: readonly string[],
  extraTexts: Array<{ where: string; text: string }> = [],
): Promise<{ leaks: Leak[]; itemsScanned: number; filesScanned: number }> {
  const leaks: Leak[] = [];
  let itemsScanned = 0;
  for (const capture of captures) {
    for (const item of capture.items) {
      findIn(item.text, item.where, secrets, leaks);
      itemsScanned += 1;
    }
  }
  for (const item of extraTexts) {
    findIn(item.text, item.where, secrets, leaks);
    itemsScanned += 1;
  }
  let filesScanned = 0;
  for (const dir of dataDirs) {
    for (const file of await filesUnder(dir)) {
      const where = relative(dir, file) || basename(file);
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) continue;
      filesScanned += 1;
      findIn(bytes.toString('latin1'), `file ${where}`, secrets, leaks);
      findIn(bytes.toString('utf8'), `file ${where}`, secrets, leaks);
      if (file.endsWith('.sqlite')) {
        try {
          findIn(dumpSqlite(file), `rows of ${where}`, secrets, leaks);
        } catch {
          // not a database after all (a damaged copy): the byte scan above covered it
        }
      }
    }
  }
  // One leak may show up through several forms or decodings; report each place once.
  const unique = new Map(leaks.map((l) => [`${l.secret}@${l.where}`, l]));
  return { leaks: [...unique.values()], itemsScanned, filesScanned };
}
