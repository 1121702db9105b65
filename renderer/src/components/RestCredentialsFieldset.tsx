// The REST server's Basic Auth user and password, as the first-run paths and the repository
// editor ask for them. Values are the caller's: this only lays out the two fields the same way.
import { t } from '../../../electron/core/i18n/index.js';
import { Field } from './common.js';

export function RestCredentialsFieldset({ user, onUser, password, onPassword, passwordHint = null, passwordPlaceholder = '' }: {
  user: string;
  onUser: (value: string) => void;
  password: string;
  onPassword: (value: string) => void;
  /** e.g. "a password is stored, leave empty to keep it" in the settings. */
  passwordHint?: string | null;
  passwordPlaceholder?: string;
}) {
  return (
    <div className="row gap-m wrap">
      <Field label={t('ui.repo.restUser')}>
        {(p) => <input {...p} type="text" autoComplete="off" value={user} onChange={(e) => onUser(e.target.value)} />}
      </Field>
      <Field label={t('ui.repo.restPassword')} hint={passwordHint}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={password} placeholder={passwordPlaceholder} onChange={(e) => onPassword(e.target.value)} />}
      </Field>
    </div>
  );
}
