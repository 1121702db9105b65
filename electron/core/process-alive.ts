// Whether a process still exists: how lock files, history rows and staging folders tell a crashed
// owner from a running one. Signal 0 checks without sending anything; EPERM means the process
// exists but belongs to another user.
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
