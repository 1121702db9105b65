// electron-builder.yml is checked here the way electron-builder checks it (ajv against its own JSON
// schema), plus the settings IT deployment relies on (docs/deploy.md).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const Ajv = require('ajv') as new (options: object) => { compile(schema: object): Validate };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds a per-machine, silent-installable MSI with a fixed upgrade code', () => {
    expect(config.appId).toBe('br.gov.cofre.app');
    expect(config.productName).toBe('Cofre');
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['msi', 'nsis']);
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.oneClick).toBe(true);
    expect(config.msi.runAfterFinish).toBe(false);
    expect(config.msi.createStartMenuShortcut).toBe(true);
    // The upgrade code of the first release: changing it would make new versions install side by side.
    expect(config.msi.upgradeCode).toBe('2590C0D0-8621-4389-BF6D-0E3F5F82A189');
  });

  it('ships only bundled output and bundles restic per platform', () => {
    const files = config.files as string[];
    expect(files.filter((f) => !f.startsWith('!'))).toEqual(['package.json', 'dist/electron/main/**', 'dist/electron/preload/**', 'dist/renderer/**']);
    for (const excluded of ['!**/*.ts', '!**/*.test.*', '!**/*.map']) expect(files).toContain(excluded);
    expect(config.extraResources[0]).toMatchObject({ from: 'resources/restic/${platform}/${arch}', to: 'restic' });
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.electronFuses.runAsNode).toBe(false);
  });
});
