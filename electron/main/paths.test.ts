import { describe, expect, it } from 'vitest';
import { bundledResticPath, desktopPaths } from './paths.js';

describe('desktop paths', () => {
  it('keeps everything of an isolated profile under COFRE_DATA_DIR, with the policy where COFRE_POLICY says', () => {
    const paths = desktopPaths({ COFRE_DATA_DIR: '/tmp/profile', COFRE_POLICY: '/tmp/profile/policy.json' });
    expect(paths.configPath).toBe('/tmp/profile/config.json');
    expect(paths.secretsPath).toBe('/tmp/profile/secrets.encrypted.json');
    expect(paths.policyPath).toBe('/tmp/profile/policy.json');
  });

  it('stores OS-encrypted secrets beside the config, apart from the CLI plain secret file', () => {
    const paths = desktopPaths({ XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' });
    expect(paths.secretsPath).toBe('/cfg/cofre/secrets.encrypted.json');
    expect(paths.secretsPath).not.toBe('/data/cofre/secrets.json');
  });

  it('finds the bundled restic beside the app resources', () => {
    expect(bundledResticPath('C:\\Program Files\\Cofre\\resources', 'win32')).toBe('C:\\Program Files\\Cofre\\resources\\restic\\restic.exe');
    expect(bundledResticPath('/opt/Cofre/resources', 'linux')).toBe('/opt/Cofre/resources/restic/restic');
  });
});
