// What the settings screen shows as a hook's target. A secret kept in the secret store (a
// healthchecks or Discord URL, whose token is the path) appears in config.json as
// `cofre-secret:<key>`: that text means nothing to a person, so it reads "(stored securely)".
import { isSecretRef } from '../../../electron/core/config/backrest-schema.js';
import { t, type Locale } from '../../../electron/core/i18n/index.js';

export function hookTargetText(value: string, locale?: Locale): string {
  return isSecretRef(value) ? t('config.secretStoredSecurely', undefined, locale) : value;
}
