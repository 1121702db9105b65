// Child process for restore-interrupted-placement.test.ts: carries out the move phase of a
// "replace" restore with its journal on disk, and stops dead (blocking, no more moves) once
// `pauseAt` files are in place, saying "paused" so the parent can SIGKILL it right there.
import { writeSync } from 'node:fs';
import { placeRestored } from '../../../electron/core/restore/place.js';

interface ChildInput {
  staged: string;
  dest: string;
  base: string;
  staging: string;
  replacedFolder: string;
  journalDir: string;
  pauseAt: number;
}

const input = JSON.parse(process.argv[2]!) as ChildInput;
let paused = false;
await placeRestored({
  items: [{ staged: input.staged, dest: input.dest, snapshotPath: '/x' }],
  conflict: 'replace',
  snapshotTime: new Date('2026-11-25T10:00:00Z'),
  replacedFolder: input.replacedFolder,
  replacedBase: input.base,
  root: input.base,
  journal: { dir: input.journalDir, header: { staging: input.staging, repoId: 'rh' } },
  onFile: (done) => {
    if (paused || done < input.pauseAt) return;
    paused = true;
    writeSync(1, `paused ${done}\n`);
    // Block the thread: nothing moves any more until the parent kills this process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  },
});
writeSync(1, 'finished\n');
