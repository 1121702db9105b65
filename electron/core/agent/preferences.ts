// Per-user preferences the core needs (language, notification level). The Electron shell keeps
// window-only state (bounds) elsewhere; these live here so the CLI and `cofre serve` share them.

import { preferencesSchema, type Preferences } from '../api.js';
import { matchLocale, setLocale, type Locale } from '../i18n/index.js';
import type { NotificationLevel } from '../policy/schema.js';
import type { PreferencesPort } from './ports.js';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWriteFile } from '../config/atomic-write.js';

function defaultPreferences(envLocale?: string): Preferences {
  return { language: matchLocale(envLocale), notifications: 'problems' };
}

export async function loadPreferences(file: string, envLocale?: string): Promise<Preferences> {
  const fallback = defaultPreferences(envLocale);
  try {
    const parsed = preferencesSchema.partial().safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? { ...fallback, ...parsed.data } : fallback;
  } catch {
    return fallback;
  }
}

async function savePreferences(file: string, prefs: Preferences): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await atomicWriteFile(file, JSON.stringify(prefs, null, 2) + '\n');
}

/** The preferences part: the current preferences, saved on change, with the policy's locked level kept. */
export class PreferencesState implements PreferencesPort {
  constructor(
    private current: Preferences,
    private readonly deps: { file: string; lockedNotifications(): NotificationLevel | undefined; changed(prefs: Preferences): void },
  ) {}

  get(): Preferences {
    return this.current;
  }

  locale(): Locale {
    return this.current.language;
  }

  async set(next: Preferences): Promise<void> {
    const locked = this.deps.lockedNotifications();
    this.current = locked ? { ...next, notifications: locked } : next;
    setLocale(this.current.language);
    await savePreferences(this.deps.file, this.current);
    this.deps.changed(this.current);
  }
}
