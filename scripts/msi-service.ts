// Adds the Windows service to the MSI that electron-builder generates (issue 13): WinSW as
// cofre-service.exe with its cofre-service.xml beside Cofre.exe, a SERVICEMODE property, and the
// custom actions that register/start the service (SERVICEMODE=1) and stop/remove it on uninstall.
// `addServiceToWxs` is pure text-in/text-out so it is tested on Linux against the real template;
// `applyServiceToProject` is what scripts/msi-project-created.cjs runs inside electron-builder.
//
// Everything goes into one <Fragment> pulled in by a ComponentGroupRef in the product feature:
// electron-builder's own template stays untouched apart from that one reference.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { machinePaths } from '../electron/core/service/machine-paths.js';
import { windowsServiceCommand, winswXml } from '../electron/core/service/units.js';

export const serviceComponentGroup = 'CofreServiceComponents';
export const wrapperFileName = 'cofre-service.exe';
export const wrapperConfigName = 'cofre-service.xml';
/** Where scripts/fetch-winsw.ts installs the verified WinSW binary. */
export const wrapperResource = path.join('resources', 'winsw', wrapperFileName);

export interface ServiceWxsOptions {
  /** WiX Source of cofre-service.exe (relative paths resolve against the .wxs folder, where candle/light run). */
  wrapperSource: string;
  /** WiX Source of cofre-service.xml. */
  configSource: string;
}

function xmlAttr(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

// Install: not on uninstall, and not when the service already exists (a repair or a second
// `msiexec /i` would otherwise fail on "service already exists" and roll back).
const installCondition = 'SERVICEMODE = "1" AND NOT REMOVE AND NOT COFRESERVICEREGISTERED';
// Uninstall: only when a Cofre service is registered, so removing a tray-only install never
// depends on WinSW's answer for a service that does not exist.
const removeCondition = 'REMOVE = "ALL" AND COFRESERVICEREGISTERED';

function serviceFragment(options: ServiceWxsOptions): string {
  const action = (id: string, command: string, execute: 'deferred' | 'rollback', result: 'check' | 'ignore') =>
    `    <CustomAction Id="${id}" FileKey="cofreServiceExe" ExeCommand="${command}" Execute="${execute}" Impersonate="no" Return="${result}"/>`;
  return `  <Fragment>
    <!-- Cofre service mode (issue 13), added by scripts/msi-service.ts: msiexec /i Cofre.msi /qn SERVICEMODE=1 -->
    <Property Id="SERVICEMODE" Value="0" Secure="yes"/>
    <Property Id="COFRESERVICEREGISTERED" Secure="yes">
      <RegistrySearch Id="CofreServiceRegistered" Root="HKLM" Key="SYSTEM\\CurrentControlSet\\Services\\Cofre" Name="ImagePath" Type="raw"/>
    </Property>
    <ComponentGroup Id="${serviceComponentGroup}" Directory="APPLICATIONFOLDER">
      <Component Id="cofreServiceWrapper">
        <File Id="cofreServiceExe" Name="${wrapperFileName}" Source="${xmlAttr(options.wrapperSource)}" ReadOnly="yes" KeyPath="yes"/>
      </Component>
      <Component Id="cofreServiceConfig">
        <File Id="cofreServiceXml" Name="${wrapperConfigName}" Source="${xmlAttr(options.configSource)}" ReadOnly="yes" KeyPath="yes"/>
      </Component>
    </ComponentGroup>
    <!-- Deferred and not impersonated: they run as LocalSystem after the files are on disk. -->
${action('CofreServiceInstallRollback', 'uninstall', 'rollback', 'ignore')}
${action('CofreServiceInstall', 'install', 'deferred', 'check')}
${action('CofreServiceStart', 'start', 'deferred', 'check')}
    <!-- A service that is already stopped (or crashed) must not block the uninstall. -->
${action('CofreServiceStop', 'stop', 'deferred', 'ignore')}
${action('CofreServiceUninstall', 'uninstall', 'deferred', 'check')}
    <InstallExecuteSequence>
      <Custom Action="CofreServiceInstallRollback" After="InstallFiles"><![CDATA[${installCondition}]]></Custom>
      <Custom Action="CofreServiceInstall" After="CofreServiceInstallRollback"><![CDATA[${installCondition}]]></Custom>
      <Custom Action="CofreServiceStart" After="CofreServiceInstall"><![CDATA[${installCondition}]]></Custom>
      <Custom Action="CofreServiceStop" Before="CofreServiceUninstall"><![CDATA[${removeCondition}]]></Custom>
      <Custom Action="CofreServiceUninstall" Before="RemoveFiles"><![CDATA[${removeCondition}]]></Custom>
    </InstallExecuteSequence>
  </Fragment>
`;
}

function unexpected(what: string): Error {
  return new Error(`msi-service: the generated .wxs has no ${what}; electron-builder's MSI template changed, so scripts/msi-service.ts must be updated before this MSI can carry the Cofre service`);
}

/**
 * Returns the WiX document with the Cofre service added. Running it on its own output returns
 * that output unchanged; a document without the expected structure is refused, never half-edited.
 */
export function addServiceToWxs(wxs: string, options: ServiceWxsOptions): string {
  if (!/<Wix\b[^>]*>/.test(wxs) || !wxs.includes('</Wix>')) throw unexpected('<Wix> root element');
  if (!/<Product\b[^>]*>/.test(wxs) || !wxs.includes('</Product>')) throw unexpected('<Product> element');
  if (!/<Directory\s+Id="APPLICATIONFOLDER"/.test(wxs)) throw unexpected('APPLICATIONFOLDER directory');
  const feature = /<Feature\s+Id="ProductFeature"[^>]*(?<!\/)>/.exec(wxs);
  if (!feature) throw unexpected('<Feature Id="ProductFeature"> element');

  const reference = `<ComponentGroupRef Id="${serviceComponentGroup}"/>`;
  const hasReference = wxs.includes(reference);
  const hasFragment = wxs.includes(`<ComponentGroup Id="${serviceComponentGroup}"`);
  if (hasReference && hasFragment) return wxs;
  if (hasReference !== hasFragment) throw new Error('msi-service: the .wxs holds only part of the Cofre service; regenerate it instead of patching it again');
  if (/<Property\s+Id="SERVICEMODE"/.test(wxs)) throw new Error('msi-service: the .wxs already defines SERVICEMODE');

  const afterFeature = feature.index + feature[0].length;
  const withReference = `${wxs.slice(0, afterFeature)}\n      ${reference}${wxs.slice(afterFeature)}`;
  const end = withReference.lastIndexOf('</Wix>');
  return `${withReference.slice(0, end)}${serviceFragment(options)}${withReference.slice(end)}`;
}

/**
 * The WinSW configuration the MSI installs, from the same function as `cofre service unit winsw`.
 * %ProgramData% is left for WinSW to expand on the target machine, so the build machine's own
 * environment never leaks into the package.
 */
export function serviceConfigXml(): string {
  const paths = machinePaths({ ProgramData: '%ProgramData%' }, 'win32');
  return winswXml({ ...windowsServiceCommand(paths.socketPath), logDir: paths.logDir });
}

/**
 * Runs inside electron-builder (msiProjectCreated) before candle compiles the project: copies the
 * verified WinSW binary and writes its XML beside the .wxs (candle and light run in that folder,
 * which electron-builder deletes afterwards), then rewrites the .wxs.
 */
export async function applyServiceToProject(projectFile: string, projectRoot: string): Promise<void> {
  const wrapper = path.join(projectRoot, wrapperResource);
  try {
    await fs.access(wrapper);
  } catch {
    throw new Error(`msi-service: ${wrapperResource} is missing; run "npx tsx scripts/fetch-winsw.ts" before building the MSI (it downloads WinSW and checks its SHA-256)`);
  }
  const stageDir = path.dirname(projectFile);
  await fs.copyFile(wrapper, path.join(stageDir, wrapperFileName));
  await fs.writeFile(path.join(stageDir, wrapperConfigName), serviceConfigXml());
  const wxs = await fs.readFile(projectFile, 'utf8');
  await fs.writeFile(projectFile, addServiceToWxs(wxs, { wrapperSource: wrapperFileName, configSource: wrapperConfigName }));
}
