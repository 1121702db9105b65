// Files the CLI writes for the user that may hold secrets (`config export-backrest
// --include-secrets`). They are written as a new 0600 file renamed over the target, never into the
// existing file: an existing 0644 file (or a hard link to it somewhere else) would otherwise hold
// the passwords, readable by others, until a chmod afterwards, and a failed chmod would leave it so.
import { atomicWriteFile } from '../core/config/atomic-write.js';

export async function writeSecretFile(file: string, content: string): Promise<void> {
  try {
    await atomicWriteFile(file, content, 0o600);
  } catch (error) {
    // The error names the temp file beside the target; the user only knows the target.
    const errno = error as NodeJS.ErrnoException;
    if (errno && typeof errno.path === 'string') errno.path = file;
    throw error;
  }
}
