// Peak memory of a process and everything it starts (cofre and its restic children, or the raw
// restic processes of the baseline), sampled from /proc: getrusage's maxrss of children reports
// only the largest single process, not what the machine had to hold at once.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  ppid: number;
  rssKb: number;
}

function snapshotProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      procs.set(Number(name), { ppid, rssKb });
    } catch {
      // the process ended while we looked
    }
  }
  return procs;
}

/** Sum of the resident memory of the `roots` and their descendants, in kB, and of the roots alone. */
function treeRss(roots: number[]): { treeKb: number; rootKb: number } {
  const procs = snapshotProcs();
  let treeKb = 0;
  let rootKb = 0;
  const pending = [...roots];
  const seen = new Set<number>();
  for (const root of roots) rootKb += procs.get(root)?.rssKb ?? 0;
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    treeKb += procs.get(pid)?.rssKb ?? 0;
    for (const [child, info] of procs) if (info.ppid === pid) pending.push(child);
  }
  return { treeKb, rootKb };
}

export interface RssPeak {
  /** The measured processes and their children at their largest together, MB. */
  treeMb: number;
  /** The root processes alone (cofre's Node process), MB. */
  rootMb: number;
}

/**
 * Samples every `everyMs` the processes `roots()` names at that moment (cofre's pid, or the raw
 * restic processes running) until stopped. Not this script, nor the rest-server it started.
 */
export function sampleRss(roots: () => number[], everyMs = 100): { stop(): RssPeak } {
  let treeKb = 0;
  let rootKb = 0;
  const tick = () => {
    const now = treeRss(roots());
    treeKb = Math.max(treeKb, now.treeKb);
    rootKb = Math.max(rootKb, now.rootKb);
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { treeMb: Math.round(treeKb / 102.4) / 10, rootMb: Math.round(rootKb / 102.4) / 10 };
    },
  };
}
