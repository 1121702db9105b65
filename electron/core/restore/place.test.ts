// A hostile program of the same user swaps a destination folder for a symbolic link while Cofre
// moves restored files into place: the placement must stop at that link, never write through it,
// and undo what it had already done.
import { mkdir, mkdtemp, readFile, readdir, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofreError } from '../errors.js';
import { placeRestored, type PlaceFs } from './place.js';
import { readJournals } from './placement-journal.js';

let dir: string;
let staging: string;
let dest: string;
let outside: string;

async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out[`${path}/`] = 'dir';
        await walk(path);
      } else if (entry.isSymbolicLink()) {
        out[path] = 'link';
      } else {
        out[path] = await readFile(join(root, path), 'utf8');
      }
    }
  };
  await walk('');
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cofre-place-'));
  staging = join(dir, 'dest', '.cofre-staging-1');
  dest = join(dir, 'dest');
  outside = join(dir, 'outside');
  for (const folder of ['a', 'b']) {
    await mkdir(join(staging, 'docs', folder), { recursive: true });
    await mkdir(join(dest, 'docs', folder), { recursive: true });
    await writeFile(join(dest, 'docs', folder, 'keep.txt'), `current ${folder}`);
    for (let i = 0; i < 5; i++) await writeFile(join(staging, 'docs', folder, `${i}.txt`), `restored ${folder}${i}`);
  }
  await mkdir(outside);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Real renames, but after the `after`-th one `swap` runs (the hostile program's move), told which
 * of `a`/`b` the placement wrote into first (directory order is the file system's).
 */
function swappingFs(after: number, swap: (first: string, second: string) => Promise<void>, thenFail = false): PlaceFs {
  let renames = 0;
  let first = '';
  return {
    rename: async (from, to) => {
      if (thenFail && renames >= after) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      await rename(from, to);
      first ||= to.includes(`${join('docs', 'a')}`) ? 'a' : 'b';
      if (++renames === after) await swap(first, first === 'a' ? 'b' : 'a');
    },
    mkdir: async (path) => {
      await mkdir(path);
    },
    rmdir: (path) => rmdir(path),
  };
}

const options = (fs: PlaceFs, journalDir?: string) => ({
  items: [{ staged: join(staging, 'docs'), dest: join(dest, 'docs'), snapshotPath: '/docs' }],
  conflict: 'keep-both' as const,
  snapshotTime: new Date('2026-11-25T10:00:00Z'),
  replacedFolder: join(dest, 'Replaced'),
  replacedBase: dest,
  root: dest,
  fs,
  ...(journalDir ? { journal: { dir: journalDir, header: { staging } } } : {}),
});

describe('placing never follows a folder swapped for a link', () => {
  it('aborts at the link, writes nothing through it and undoes the files already placed', async () => {
    const destBefore = await tree(dest);
    // After 3 files of the first folder are in place, the second becomes a link to a folder outside.
    let first = '';
    let second = '';
    const fs = swappingFs(3, async (f, s) => {
      [first, second] = [f, s];
      await rename(join(dest, 'docs', second), join(dir, 'moved-away'));
      await symlink(outside, join(dest, 'docs', second));
    });
    const journalDir = join(dir, 'journals');
    const error = await placeRestored(options(fs, journalDir)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CofreError);
    expect((error as CofreError).code).toBe('restore.error.linkSwapped');
    expect((error as CofreError).toPayload('pt-BR').message).toMatch(/foi trocada por um atalho.*foi desfeito/);
    expect(await readdir(outside)).toEqual([]);
    // The first folder's files went back to staging; the destination is as before apart from the other program's link.
    const after = await tree(dest);
    expect(after[`docs/${second}`]).toBe('link');
    for (const [path, value] of Object.entries(destBefore)) {
      if (path.startsWith(`docs/${second}`) || path.startsWith('.cofre-staging-1')) continue;
      expect(after[path], path).toBe(value);
    }
    expect(Object.keys(after).filter((p) => p.startsWith(`docs/${first}/`) && p !== `docs/${first}/`)).toEqual([`docs/${first}/keep.txt`]);
    expect((await readdir(join(staging, 'docs', first))).sort()).toEqual(['0.txt', '1.txt', '2.txt', '3.txt', '4.txt']);
    expect(await readJournals(journalDir)).toEqual([]);
  });

  it('names the folder still holding files when the undo itself meets the link', async () => {
    // The folder already written into is swapped, then a later move fails: its files cannot be moved back through the link.
    let first = '';
    const fs = swappingFs(7, async (f) => {
      first = f;
      await rename(join(dest, 'docs', first), join(dir, 'moved-away'));
      await symlink(outside, join(dest, 'docs', first));
    }, true);
    const error = await placeRestored(options(fs)).then(() => null, (e: unknown) => e);
    expect((error as CofreError).code).toBe('restore.error.undoIncomplete');
    const message = (error as CofreError).toPayload('pt-BR').message;
    expect(message).not.toMatch(/Nada foi alterado/);
    expect(message).toContain(join(dest, 'docs', first));
    expect(await readdir(outside)).toEqual([]);
  });
});
