// The MSI's service parts, checked on the project electron-builder really generates: its own
// template rendered the way MsiTarget renders it, with Cofre's msi settings. WiX itself (and
// Windows) are not available here, so this checks the document, not the installed result.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addServiceToWxs, applyServiceToProject, serviceConfigXml, wrapperResource } from './msi-service.js';

const require = createRequire(import.meta.url);
const ejs = require('ejs') as { compile(template: string): (data: object) => string };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const options = { wrapperSource: 'cofre-service.exe', configSource: 'cofre-service.xml' };

/** What MsiTarget.writeManifest produces for Cofre (perMachine, oneClick, no runAfterFinish). */
function generatedWxs(): string {
  const template = readFileSync(path.join(root, 'node_modules/app-builder-lib/templates/msi/template.xml'), 'utf8')
    .replace(/{{/g, '<%')
    .replace(/}}/g, '%>')
    .replace(/\${([^}]+)}/g, '<%=$1%>');
  return ejs.compile(template)({
    productName: 'Cofre',
    upgradeCode: '2590C0D0-8621-4389-BF6D-0E3F5F82A189',
    version: '0.1.0.0',
    manufacturer: 'Cofre',
    compressionLevel: 'high',
    installationDirectoryWixName: 'Cofre',
    iconPath: 'Z:\\build\\icon.ico',
    iconId: 'CofreIcon.exe',
    isRunAfterFinish: false,
    isAssisted: false,
    isPerMachine: true,
    isCreateDesktopShortcut: false,
    isCreateStartMenuShortcut: true,
    menuCategory: null,
    programFilesId: 'ProgramFiles64Folder',
    dirs: '<Directory Id="dresources" Name="APPLICATIONFOLDER:\\resources\\"/>',
    files: '<Component>\n      <File Name="cofre.exe" Source="$(var.appDir)\\cofre.exe" ReadOnly="yes" KeyPath="yes" Id="mainExecutable"/>\n      </Component>',
  });
}

function element(wxs: string, pattern: RegExp): string {
  const match = pattern.exec(wxs);
  expect(match, `missing ${pattern}`).not.toBeNull();
  return match![0];
}

function customAction(wxs: string, id: string): string {
  return element(wxs, new RegExp(`<CustomAction Id="${id}"[^>]*/>`));
}

function scheduled(wxs: string, id: string): { after?: string; before?: string; condition: string } {
  const match = new RegExp(`<Custom Action="${id}" (After|Before)="([^"]+)"><!\\[CDATA\\[(.*?)\\]\\]></Custom>`).exec(wxs);
  expect(match, `${id} is not sequenced`).not.toBeNull();
  return { [match![1] === 'After' ? 'after' : 'before']: match![2], condition: match![3]! };
}

describe('addServiceToWxs on electron-builder 26 MSI template', () => {
  const original = generatedWxs();
  const wxs = addServiceToWxs(original, options);

  it('adds a SERVICEMODE property that is off unless msiexec is given SERVICEMODE=1', () => {
    expect(original).not.toContain('SERVICEMODE');
    // Secure: a public property must be marked secure to reach the elevated (server) side of a
    // managed (GPO) install.
    expect(element(wxs, /<Property Id="SERVICEMODE"[^>]*\/>/)).toBe('<Property Id="SERVICEMODE" Value="0" Secure="yes"/>');
  });

  it('installs cofre-service.exe and cofre-service.xml in the app folder, as part of the product feature', () => {
    const group = element(wxs, /<ComponentGroup Id="CofreServiceComponents"[\s\S]*?<\/ComponentGroup>/);
    expect(group).toContain('Directory="APPLICATIONFOLDER"');
    expect(group).toContain('<File Id="cofreServiceExe" Name="cofre-service.exe" Source="cofre-service.exe" ReadOnly="yes" KeyPath="yes"/>');
    expect(group).toContain('<File Id="cofreServiceXml" Name="cofre-service.xml" Source="cofre-service.xml" ReadOnly="yes" KeyPath="yes"/>');
    // Same convention as electron-builder's components: no Guid, WiX derives a stable one.
    expect(group).not.toContain('Guid=');
    const feature = element(wxs, /<Feature Id="ProductFeature"[^>]*>[\s\S]*?<\/Feature>/);
    expect(feature).toContain('<ComponentGroupRef Id="ProductComponents"/>');
    expect(feature).toContain('<ComponentGroupRef Id="CofreServiceComponents"/>');
  });

  it('runs WinSW install and start as LocalSystem after the files are installed, only when SERVICEMODE=1', () => {
    for (const [id, command] of [['CofreServiceInstall', 'install'], ['CofreServiceStart', 'start']] as const) {
      const action = customAction(wxs, id);
      expect(action).toContain('FileKey="cofreServiceExe"');
      expect(action).toContain(`ExeCommand="${command}"`);
      expect(action).toContain('Execute="deferred"');
      expect(action).toContain('Impersonate="no"');
      expect(action).toContain('Return="check"');
    }
    expect(customAction(wxs, 'CofreServiceInstallRollback')).toContain('ExeCommand="uninstall" Execute="rollback"');
    expect(scheduled(wxs, 'CofreServiceInstallRollback').after).toBe('InstallFiles');
    expect(scheduled(wxs, 'CofreServiceInstall').after).toBe('CofreServiceInstallRollback');
    expect(scheduled(wxs, 'CofreServiceStart').after).toBe('CofreServiceInstall');
    for (const id of ['CofreServiceInstallRollback', 'CofreServiceInstall', 'CofreServiceStart']) {
      expect(scheduled(wxs, id).condition).toBe('SERVICEMODE = "1" AND NOT REMOVE AND NOT COFRESERVICEREGISTERED');
    }
  });

  it('stops (ignoring failure) and removes the service before its files on a full uninstall', () => {
    expect(customAction(wxs, 'CofreServiceStop')).toMatch(/ExeCommand="stop" Execute="deferred" Impersonate="no" Return="ignore"/);
    expect(customAction(wxs, 'CofreServiceUninstall')).toMatch(/ExeCommand="uninstall" Execute="deferred" Impersonate="no" Return="check"/);
    expect(scheduled(wxs, 'CofreServiceUninstall').before).toBe('RemoveFiles');
    expect(scheduled(wxs, 'CofreServiceStop').before).toBe('CofreServiceUninstall');
    for (const id of ['CofreServiceStop', 'CofreServiceUninstall']) expect(scheduled(wxs, id).condition).toBe('REMOVE = "ALL" AND COFRESERVICEREGISTERED');
    // The service's presence comes from the SCM's own registry key.
    expect(wxs).toContain('<RegistrySearch Id="CofreServiceRegistered" Root="HKLM" Key="SYSTEM\\CurrentControlSet\\Services\\Cofre" Name="ImagePath" Type="raw"/>');
  });

  it('leaves electron-builder parts as they were', () => {
    const withoutOurs = wxs.replace(/\n {6}<ComponentGroupRef Id="CofreServiceComponents"\/>/, '').replace(/ {2}<Fragment>[\s\S]*<\/Fragment>\n/, '');
    expect(withoutOurs).toBe(original);
    expect(wxs.indexOf('<Fragment>')).toBeGreaterThan(wxs.indexOf('</Product>'));
  });

  it('is idempotent', () => {
    expect(addServiceToWxs(wxs, options)).toBe(wxs);
  });

  it('refuses a document without the structure it expects, naming what is missing', () => {
    expect(() => addServiceToWxs('<html></html>', options)).toThrow(/no <Wix> root element.*template changed/);
    expect(() => addServiceToWxs(original.replace('Id="ProductFeature"', 'Id="Main"'), options)).toThrow(/no <Feature Id="ProductFeature"> element/);
    expect(() => addServiceToWxs(original.replace('Id="APPLICATIONFOLDER"', 'Id="INSTALLDIR"'), options)).toThrow(/no APPLICATIONFOLDER directory/);
    expect(() => addServiceToWxs(wxs.replace('<ComponentGroupRef Id="CofreServiceComponents"/>', ''), options)).toThrow(/only part of the Cofre service/);
  });

  it('escapes source paths into valid attributes', () => {
    const out = addServiceToWxs(original, { wrapperSource: 'a&b"c.exe', configSource: 'x.xml' });
    expect(out).toContain('Source="a&amp;b&quot;c.exe"');
  });

  // xmllint when installed, else Python's expat parser (this machine has only the latter).
  const xmllint = spawnSync('xmllint', ['--version']).error === undefined;
  const python = spawnSync('python3', ['--version']).error === undefined;
  it.skipIf(!xmllint && !python)('is well-formed XML', () => {
    const check = (text: string) =>
      xmllint
        ? spawnSync('xmllint', ['--noout', '-'], { input: text })
        : spawnSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], { input: text });
    const result = check(wxs);
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
    expect(check(serviceConfigXml()).status).toBe(0);
    // The checker itself rejects a broken document.
    expect(check(wxs.replace('</Fragment>', '')).status).not.toBe(0);
  });
});

describe('applyServiceToProject (the msiProjectCreated hook)', () => {
  async function project(withWrapper: boolean): Promise<{ projectRoot: string; projectFile: string }> {
    const projectRoot = mkdtempSync(path.join(os.tmpdir(), 'cofre-msi-'));
    const stage = path.join(projectRoot, 'stage');
    await fs.mkdir(stage);
    const projectFile = path.join(stage, 'project.wxs');
    await fs.writeFile(projectFile, generatedWxs());
    if (withWrapper) {
      await fs.mkdir(path.dirname(path.join(projectRoot, wrapperResource)), { recursive: true });
      await fs.writeFile(path.join(projectRoot, wrapperResource), 'MZ fake winsw');
    }
    return { projectRoot, projectFile };
  }

  it('refuses to build when resources/winsw/cofre-service.exe is missing, and leaves the project alone', async () => {
    const { projectRoot, projectFile } = await project(false);
    await expect(applyServiceToProject(projectFile, projectRoot)).rejects.toThrow(/resources[/\\]winsw[/\\]cofre-service\.exe is missing; run "npx tsx scripts\/fetch-winsw\.ts"/);
    expect(await fs.readFile(projectFile, 'utf8')).toBe(generatedWxs());
  });

  it('puts WinSW and its XML beside the .wxs and rewrites it', async () => {
    const { projectRoot, projectFile } = await project(true);
    await applyServiceToProject(projectFile, projectRoot);
    const stage = path.dirname(projectFile);
    expect(await fs.readFile(path.join(stage, 'cofre-service.exe'), 'utf8')).toBe('MZ fake winsw');
    expect(await fs.readFile(path.join(stage, 'cofre-service.xml'), 'utf8')).toBe(serviceConfigXml());
    expect(await fs.readFile(projectFile, 'utf8')).toBe(addServiceToWxs(generatedWxs(), options));
  });

  it('is what electron-builder.yml wires in, loadable the way electron-builder loads hooks (require)', async () => {
    const config = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^msiProjectCreated: \.\/scripts\/msi-project-created\.cjs$/m);
    const hook = require(path.join(root, 'scripts/msi-project-created.cjs')) as { msiProjectCreated: (file: string) => Promise<void> };
    expect(typeof hook.msiProjectCreated).toBe('function');
    // Through tsx into msi-service.ts: this checkout has no fetched WinSW, so it must refuse.
    const { projectFile } = await project(false);
    await expect(hook.msiProjectCreated(projectFile)).rejects.toThrow(/cofre-service\.exe is missing/);
  });
});

describe('serviceConfigXml (cofre-service.xml in the MSI)', () => {
  it('starts the installed cofre.exe as a LocalSystem service on the named pipe, logging under ProgramData', () => {
    const xml = serviceConfigXml();
    expect(xml).toContain('<id>Cofre</id>');
    expect(xml).toContain('<executable>%BASE%\\cofre.exe</executable>');
    expect(xml).toContain('service run --socket "\\\\.\\pipe\\cofre-agent"');
    expect(xml).toContain('<username>LocalSystem</username>');
    expect(xml).toContain('<onfailure action="restart"');
    expect(xml).toContain('<logpath>%ProgramData%\\Cofre\\logs</logpath>');
  });
});
