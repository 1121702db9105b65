// Names for the files a restore must not overwrite: the restored copy kept beside the current one
// ("Relatório (2026-11-25 14.30).xlsx") and the dated folder that receives replaced files.
const MAX_NAME_BYTES = 255;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `2026-11-25 14.30` in local time: sortable, readable, and valid on every file system (no colons). */
export function snapshotStamp(time: Date): string {
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}.${pad(time.getMinutes())}`;
}

/** `2026-11-27 10.15.42`, for the folder of files replaced by one restore. */
export function replacedStamp(time: Date): string {
  return `${snapshotStamp(time)}.${pad(time.getSeconds())}`;
}

/** Splits `Relatório.xlsx` into stem and extension; dot-files and folders have no extension. */
function splitName(name: string, isDir: boolean): [string, string] {
  const dot = name.lastIndexOf('.');
  if (isDir || dot <= 0 || dot === name.length - 1 || name.length - dot > 16) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * The name a restored item takes beside an existing different one. `attempt` 1 gives
 * `Relatório (2026-11-25 14.30).xlsx`, 2 gives `Relatório (2026-11-25 14.30) (2).xlsx`, ...
 * Long names are shortened in the stem so the result still fits a file-system name (255 bytes).
 */
export function keepBothName(name: string, snapshotTime: Date, attempt = 1, isDir = false): string {
  const [stem, ext] = splitName(name, isDir);
  const suffix = ` (${snapshotStamp(snapshotTime)})${attempt > 1 ? ` (${attempt})` : ''}`;
  const room = MAX_NAME_BYTES - Buffer.byteLength(suffix) - Buffer.byteLength(ext);
  return `${truncateUtf8(stem, Math.max(1, room))}${suffix}${ext}`;
}
