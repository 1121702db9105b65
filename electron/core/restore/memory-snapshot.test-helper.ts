// An in-memory snapshot for unit tests: `ls` streams its nodes and `restore` writes the selected
// files into the target under their full snapshot paths, as restic does (with mtimes).
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LsNode, RestoreProgress, RestoreRequest, RestoreResult } from '../restic/types.js';
import { isWithin, parentPath, segmentsOf } from './snapshot-path.js';
import type { SnapshotSource } from './types.js';

export interface MemoryFile {
  content: string | Buffer;
  mtime: string;
}

export interface MemorySnapshotOptions {
  /** Throw after writing this many files (restic failing midway). */
  failAfterFiles?: number;
  /** After writing this many files, wait until the signal aborts (a long restore being cancelled). */
  hangAfterFiles?: number;
  onRestore?: (request: RestoreRequest) => void;
}

export function memorySnapshot(files: Record<string, MemoryFile>, options: MemorySnapshotOptions = {}): SnapshotSource & { nodes: LsNode[] } {
  const nodes: LsNode[] = [];
  const dirs = new Set<string>();
  const addDir = (path: string) => {
    if (path === '/' || dirs.has(path)) return;
    addDir(parentPath(path));
    dirs.add(path);
    nodes.push({ name: path.slice(path.lastIndexOf('/') + 1), type: 'dir', path, size: 0, mtime: '2026-01-01T00:00:00Z' });
  };
  for (const [path, file] of Object.entries(files)) {
    addDir(parentPath(path));
    nodes.push({ name: path.slice(path.lastIndexOf('/') + 1), type: 'file', path, size: Buffer.byteLength(file.content), mtime: file.mtime });
  }
  return {
    nodes,
    async *ls() {
      yield* nodes;
    },
    async restore(request: RestoreRequest, opts?: { signal?: AbortSignal; onProgress?: (p: RestoreProgress) => void }): Promise<RestoreResult> {
      options.onRestore?.(request);
      let written = 0;
      let bytes = 0;
      for (const [path, file] of Object.entries(files)) {
        if (!request.include.some((inc) => isWithin(path, inc))) continue;
        if (written === options.failAfterFiles) throw new Error('restic: simulated failure');
        if (written === options.hangAfterFiles) {
          await new Promise<void>((_, reject) => {
            if (opts?.signal?.aborted) reject(new Error('aborted'));
            opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
          });
        }
        const target = join(request.target, ...segmentsOf(path));
        await mkdir(join(target, '..'), { recursive: true });
        await writeFile(target, file.content);
        await utimes(target, new Date(file.mtime), new Date(file.mtime));
        written += 1;
        bytes += Buffer.byteLength(file.content);
        opts?.onProgress?.({ percentDone: 0, totalFiles: 0, filesRestored: written, totalBytes: 0, bytesRestored: bytes });
      }
      return { filesRestored: written, bytesRestored: bytes };
    },
  };
}
