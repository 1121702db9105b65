// Loads the fleet file IT writes: `cofre fleet --file <path>`, default `<config dir>/fleet.json`
// (the folder of Cofre's config.json), which is also what the technician screen reads. Problems
// come back as one translated error with the JSON path of each bad field.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { problemToField, zodIssuesToProblems } from '../config/field-problems.js';
import { CofreError } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { fleetFileSchema, type FleetFile } from './schema.js';

export const fleetFileName = 'fleet.json';
const MAX_BYTES = 5_000_000;

export function defaultFleetFile(configPath: string): string {
  return join(dirname(configPath), fleetFileName);
}

export function parseFleetFile(text: string, path: string, locale?: Locale): FleetFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CofreError('fleet.fileNotJson', { cause: 'invalid-input', params: { path }, detail: error instanceof Error ? error.message : undefined });
  }
  const parsed = fleetFileSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = zodIssuesToProblems(parsed.error, raw).map((p) => problemToField(p, locale));
    const first = fields[0];
    throw new CofreError('fleet.fileInvalid', {
      cause: 'invalid-input',
      params: { path, count: fields.length, first: first ? `${first.path}: ${first.message}` : '' },
      fields,
    });
  }
  return parsed.data;
}

export async function loadFleetFile(path: string, locale?: Locale): Promise<FleetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CofreError(code === 'ENOENT' ? 'fleet.fileMissing' : 'fleet.fileUnreadable', { cause: 'invalid-input', params: { path } });
  }
  if (text.length > MAX_BYTES) throw new CofreError('fleet.fileTooBig', { cause: 'invalid-input', params: { path } });
  return parseFleetFile(text, path, locale);
}
