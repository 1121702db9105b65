// The Electron shell: lifecycle, tray, windows, IPC, notifications, power events. Deliberately
// thin: every decision (menu, icon, tooltip, window options, CSP, sender check, notifications,
// quit order, paths) is a pure module beside this file with its own unit test. This file only
// connects those decisions to Electron APIs and to the Agent from electron/core.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, screen, session, shell, Tray,
  type IpcMainInvokeEvent, type MenuItemConstructorOptions, type WebContents,
} from 'electron';
import { main as cliMain } from '../cli/main.js';
import { Agent } from '../core/agent/agent.js';
import { openDesktopAgent, type DesktopAgent } from '../core/service/desktop-agent.js';
import { apiMethods, type ApiEvent, type ApiInput, type ApiMethod, type ApiOutput, type ApiResult, type AppInfo, type AgentStatus, type SessionRef } from '../core/api.js';
import { CofreError } from '../core/errors.js';
import { t, type Locale } from '../core/i18n/index.js';
import { adoptPlainSecrets, EncryptedSecretStore, type StringEncryptor } from '../core/secrets/index.js';
import { resolveAppRequest, mimeTypeFor } from './app-protocol.js';
import { securityHeaders, withSecurityHeaders } from './csp.js';
import { ipcChannel, ipcDesktopChannels } from '../preload/ipc-channels.js';
import { sendEvent } from './event-sender.js';
import { isTrustedSender, isTrustedUrl } from './ipc-guard.js';
import { initialNotifierState, notificationsForEvent, overdueNotifications, type NotificationSpec, type NotifierState } from './notifications.js';
import { bundledResticPath, desktopPaths } from './paths.js';
import { cliArgsFrom } from './cli-dispatch.js';
import { createQuitSequence } from './quit-sequence.js';
import { memoryBackend, reachableBounds, reachablePosition, ShellState } from './shell-state.js';
import { openShellState } from './shell-store.js';
import { trayTooltip } from './tooltip.js';
import { trayIconPath } from './tray-icon.js';
import { buildTrayMenu, findMenuItem, type TrayAction, type TrayMenuItem, type WindowKind } from './tray-menu.js';
import { appScheme, popoverPosition, windowOptions, windowUrl } from './window-options.js';

const e2e = process.env.COFRE_E2E === '1';
const overdueCheckMs = 60 * 60_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const rendererRoot = path.join(appRoot, 'dist', 'renderer');
const iconsDir = app.isPackaged ? path.join(process.resourcesPath, 'icons') : path.join(appRoot, 'resources', 'icons');
// Only unpackaged development may point windows at the Vite dev server.
const devServerOrigin = !app.isPackaged ? process.env.COFRE_RENDERER_DEV_URL ?? null : null;

let agent: DesktopAgent | null = null;
let desktopSession: SessionRef | null = null;
let tray: Tray | null = null;
let trayItems: TrayMenuItem[] = [];
let lastStatus: AgentStatus | null = null;
let appInfo: AppInfo | null = null;
let notifierState: NotifierState = initialNotifierState();
/** Window places, popover position, shown notifications, first run: electron-store once the app is ready. */
let shellState = new ShellState(memoryBackend());
const shownNotifications: NotificationSpec[] = [];
const windows = new Map<WindowKind, BrowserWindow>();

const quit = createQuitSequence(() => agent, {
  closeWindows: () => {
    for (const win of windows.values()) win.destroy();
    windows.clear();
  },
  destroyTray: () => {
    tray?.destroy();
    tray = null;
  },
  exit: (code) => app.exit(code),
  log: (message) => console.error(`[cofre] ${message}`),
  delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
});

const locale = (): Locale => appInfo?.preferences.language ?? 'pt-BR';

// ---- startup ---------------------------------------------------------------------------------

const cliArgs = cliArgsFrom(process.argv, app.isPackaged);
if (cliArgs) {
  // `cofre.exe status --json`: answer and exit, next to a running tray app (no instance lock).
  app.whenReady().then(() => runCli(cliArgs), (error: unknown) => fatal(error));
} else if (!app.requestSingleInstanceLock()) {
  // Another Cofre is running for this user: it receives 'second-instance' and shows itself.
  app.exit(0);
} else {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.on('second-instance', () => openWindow('status'));
  // A tray app lives on without windows.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (quit.started) return;
    event.preventDefault();
    void quit.run();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

/** Secrets encrypted by the OS (DPAPI, Keychain, libsecret) through Electron's safeStorage. */
function safeStorageEncryptor(): StringEncryptor {
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (buf) => safeStorage.decryptString(buf),
    isAvailable: () => safeStorage.isEncryptionAvailable(),
  };
}

async function runCli(args: string[]): Promise<void> {
  const code = await cliMain(args, undefined, process.env, {
    secretStore: () => new EncryptedSecretStore(desktopPaths(process.env).secretsPath, safeStorageEncryptor()),
  });
  app.exit(code);
}

async function start(): Promise<void> {
  hardenSession();
  protocol.handle(appScheme, serveRenderer);

  const paths = desktopPaths(process.env);
  const encryptor = safeStorageEncryptor();
  const secrets = new EncryptedSecretStore(paths.secretsPath, encryptor);
  // Secrets put in place from the command line (IT pre-configuration) move into the OS-encrypted store.
  if (encryptor.isAvailable()) await adoptPlainSecrets(path.join(paths.dataDir, 'secrets.json'), secrets);
  // Issue 13: the machine's Cofre service when one runs (this tray is then its client), else our own agent.
  agent = await openDesktopAgent(() => Agent.create({
    configPath: paths.configPath,
    policyPath: paths.policyPath,
    dataDir: paths.dataDir,
    cacheDir: paths.cacheDir,
    secrets,
    ...(app.isPackaged ? { resticBinary: bundledResticPath(process.resourcesPath, process.platform) } : {}),
    version: app.getVersion(),
  }));
  desktopSession = agent.createSession();
  // The service keeps its own log; a tray that is its client only has the console for its own state file.
  const agentLog = agent.log;
  shellState = await openShellState(paths.dataDir, (message) => (agentLog ? agentLog.warn(message) : console.warn(message)));
  notifierState = shellState.notifier();
  agent.subscribe(onAgentEvent);
  registerIpc();

  await refreshAppInfo();
  lastStatus = await callAgent('getStatus', {});
  tray = new Tray(trayImage(lastStatus?.health ?? 'not-configured'));
  tray.on('click', () => toggleStatusPopover());
  refreshTray();

  powerMonitor.on('resume', () => agent?.onResume());
  powerMonitor.on('suspend', () => void agent?.onSuspend());
  powerMonitor.on('shutdown', () => void agent?.onSuspend());
  setInterval(checkOverdue, overdueCheckMs).unref();
  checkOverdue();

  if (app.isPackaged && !e2e && (process.platform === 'win32' || process.platform === 'darwin')) {
    // Per-user autostart (HKCU Run on Windows). Machine-wide installs may use HKLM Run instead,
    // see docs/deploy.md; the single-instance lock keeps a double start harmless.
    app.setLoginItemSettings({ openAtLogin: true, args: ['--background'] });
  }
  if (e2e) exposeTestHooks();
  // The very first start shows Cofre once even when it was started in the background (the
  // installer's autostart): afterwards a login start stays in the tray.
  const firstRun = !shellState.firstRunDone();
  if (firstRun || (!process.argv.includes('--background') && !app.getLoginItemSettings().wasOpenedAtLogin)) openWindow('status');
  if (firstRun) shellState.markFirstRunDone();
}

function fatal(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`[cofre] startup failed: ${reason}`);
  dialog.showErrorBox('Cofre', t('desktop.startup.failed', { reason }, locale()));
  app.exit(1);
}

// ---- security --------------------------------------------------------------------------------

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }));
  // Remote content is never loaded: only our scheme (and the dev server when unpackaged).
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isTrustedUrl(details.url, { devServerOrigin }) || details.url.startsWith('devtools:') || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });
}

function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function serveRenderer(request: Request): Promise<Response> {
  const file = resolveAppRequest(request.url, rendererRoot);
  if (!file) return new Response('not found', { status: 404, headers: securityHeaders() });
  try {
    const body = await fs.readFile(file);
    return new Response(body, { status: 200, headers: { ...securityHeaders(), 'Content-Type': mimeTypeFor(file) } });
  } catch {
    return new Response('not found', { status: 404, headers: securityHeaders() });
  }
}

// ---- IPC -------------------------------------------------------------------------------------

function registerIpc(): void {
  const forbidden = (): ApiResult<never> => ({ ok: false, error: new CofreError('error.forbidden').toPayload(locale()) });
  const trusted = (event: IpcMainInvokeEvent) => isTrustedSender(event.senderFrame, { devServerOrigin });

  for (const method of apiMethods) {
    ipcMain.handle(ipcChannel(method), async (event, input: unknown) => {
      if (!trusted(event) || !agent || !desktopSession) return forbidden();
      // Schema validation and access checks happen in the core (Agent.call).
      const result = await agent.call(method, input, desktopSession);
      if (method === 'technicianLogin' || method === 'technicianLogout' || method === 'setPreferences') {
        await refreshAppInfo();
        refreshTray();
      }
      return result;
    });
  }
  ipcMain.handle(ipcDesktopChannels.pickFolder, async (event) => {
    if (!trusted(event)) return null;
    const owner = BrowserWindow.fromWebContents(event.sender);
    const options = { title: t('desktop.dialog.pickFolder', undefined, locale()), properties: ['openDirectory' as const, 'createDirectory' as const] };
    const picked = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  ipcMain.handle(ipcDesktopChannels.openPath, async (event, target: unknown) => {
    if (!trusted(event) || typeof target !== 'string' || !path.isAbsolute(target)) return;
    // Folders open in the file manager; files are only shown in their folder, never executed.
    const stat = await fs.stat(target).catch(() => null);
    if (stat?.isDirectory()) await shell.openPath(target);
    else if (stat) shell.showItemInFolder(target);
  });
}

async function callAgent<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M> | null> {
  if (!agent || !desktopSession) return null;
  const result = await agent.call(method, input, desktopSession);
  return result.ok ? result.value : null;
}

async function refreshAppInfo(): Promise<void> {
  appInfo = (await callAgent('getAppInfo', {})) ?? appInfo;
}

// ---- events, tray, notifications -------------------------------------------------------------

function onAgentEvent(event: ApiEvent): void {
  sendEvent(windows.values(), event);
  if (event.type === 'status') {
    lastStatus = event.data;
    refreshTray();
  } else if (event.type === 'preferencesChanged' || event.type === 'configChanged') {
    void refreshAppInfo().then(refreshTray);
  }
  const decision = notificationsForEvent(event, notifierState, { level: appInfo?.preferences.notifications ?? 'problems', locale: locale(), now: new Date() });
  rememberNotifier(decision.state);
  decision.notifications.forEach(showNotification);
  if (event.type === 'status') checkOverdue();
}

function checkOverdue(): void {
  if (!lastStatus) return;
  const decision = overdueNotifications(lastStatus, notifierState, {
    level: appInfo?.preferences.notifications ?? 'problems', locale: locale(), now: new Date(), overdueDays: appInfo?.overdueAfterDays ?? 3,
  });
  rememberNotifier(decision.state);
  decision.notifications.forEach(showNotification);
}

/** What was announced survives a restart, so the same failure is not announced again; written only on change. */
function rememberNotifier(next: NotifierState): void {
  const changed = JSON.stringify(next) !== JSON.stringify(notifierState);
  notifierState = next;
  if (changed) shellState.rememberNotifier(next);
}

function showNotification(spec: NotificationSpec): void {
  shownNotifications.push(spec);
  if (!Notification.isSupported()) return;
  const notification = new Notification({
    title: spec.title,
    body: spec.body,
    urgency: spec.urgent ? 'critical' : 'normal',
    icon: trayImage(spec.urgent ? 'failed' : 'ok'),
  });
  notification.on('click', () => openWindow(spec.opens));
  notification.show();
}

function trayImage(health: AgentStatus['health']) {
  const image = nativeImage.createFromPath(trayIconPath(iconsDir, health, process.platform));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

function currentMenu(): TrayMenuItem[] {
  if (!lastStatus || !appInfo) return [{ id: 'quit', type: 'normal', label: t('desktop.menu.quit', undefined, locale()), action: { kind: 'quit' } }];
  return buildTrayMenu({
    status: lastStatus,
    capabilities: appInfo.capabilities,
    locale: locale(),
    technician: appInfo.technician,
    technicianPasswordRequired: appInfo.technicianPasswordRequired,
    now: new Date(),
  });
}

function refreshTray(): void {
  if (!tray || tray.isDestroyed()) return;
  const health = lastStatus?.health ?? 'not-configured';
  trayItems = currentMenu();
  tray.setImage(trayImage(health));
  tray.setToolTip(lastStatus ? trayTooltip(lastStatus, new Date(), locale()) : 'Cofre');
  tray.setContextMenu(Menu.buildFromTemplate(trayItems.map(toElectronItem)));
}

function toElectronItem(item: TrayMenuItem): MenuItemConstructorOptions {
  if (item.type === 'separator') return { type: 'separator', id: item.id };
  const base: MenuItemConstructorOptions = { id: item.id, label: item.label ?? '', enabled: item.enabled ?? true };
  if (item.submenu) return { ...base, type: 'submenu', submenu: item.submenu.map(toElectronItem) };
  const action = item.action;
  return { ...base, type: 'normal', click: () => action && void runTrayAction(action) };
}

async function runTrayAction(action: TrayAction): Promise<void> {
  switch (action.kind) {
    case 'open':
      openWindow(action.window);
      return;
    case 'backup':
      for (const planId of action.planIds) await callAgent('runBackup', { planId });
      return;
    case 'cancel':
      for (const jobId of action.jobIds) await callAgent('cancelJob', { jobId });
      return;
    case 'pause':
      lastStatus = (await callAgent('pause', { until: action.until })) ?? lastStatus;
      refreshTray();
      return;
    case 'resume':
      lastStatus = (await callAgent('resume', {})) ?? lastStatus;
      refreshTray();
      return;
    case 'quit':
      await quit.run();
      return;
  }
}

// ---- windows ---------------------------------------------------------------------------------

function openWindow(kind: WindowKind): BrowserWindow {
  const existing = windows.get(kind);
  if (existing && !existing.isDestroyed()) {
    existing.show();
    existing.focus();
    return existing;
  }
  const options = windowOptions(kind, { preloadPath, locale: locale(), platform: process.platform, iconPath: path.join(iconsDir, 'app', 'icon.png') });
  // Normal windows open where the person left them (if that place is still on a screen); the popover goes by the tray.
  const saved = kind === 'status' ? null : reachableBounds(shellState.windowBounds(kind), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({ ...options, ...(saved ?? {}) });
  windows.set(kind, win);
  if (kind !== 'status') win.on('close', () => shellState.rememberWindowBounds(kind, win.getBounds()));
  // Closed windows are destroyed (the default) so an idle tray app keeps no renderer alive.
  win.on('closed', () => {
    if (windows.get(kind) === win) windows.delete(kind);
  });
  if (kind === 'status') {
    placePopover(win);
    win.on('blur', () => {
      if (!e2e && !win.isDestroyed()) win.close();
    });
  }
  win.once('ready-to-show', () => win.show());
  const url = devServerOrigin ? `${devServerOrigin}/#/${kind}` : windowUrl(kind);
  void win.loadURL(url);
  return win;
}

function toggleStatusPopover(): void {
  const existing = windows.get('status');
  if (existing && !existing.isDestroyed() && existing.isVisible()) existing.close();
  else openWindow('status');
}

function placePopover(win: BrowserWindow): void {
  const trayBounds = tray && !tray.isDestroyed() ? tray.getBounds() : null;
  const anchor = trayBounds && trayBounds.width > 0 ? { x: trayBounds.x, y: trayBounds.y } : screen.getCursorScreenPoint();
  const { workArea } = screen.getDisplayNearestPoint(anchor);
  const [width = 380, height = 520] = win.getSize();
  const trayKnown = Boolean(trayBounds && trayBounds.width > 0);
  // Where the tray reports no bounds (often on Linux), the popover goes where it last sat by the tray.
  const remembered = trayKnown ? null : reachablePosition(shellState.popoverPosition(), { width, height }, workArea);
  const { x, y } = remembered ?? popoverPosition({ width, height }, trayBounds, workArea);
  if (trayKnown) shellState.rememberPopoverPosition({ x, y });
  win.setPosition(x, y);
}

// ---- e2e hooks -------------------------------------------------------------------------------

/** Reached from Playwright with electronApp.evaluate(() => globalThis.__cofreTest...). Never set in production. */
function exposeTestHooks(): void {
  (globalThis as Record<string, unknown>).__cofreTest = {
    trayMenu: () => trayItems,
    trayTooltip: () => (lastStatus ? trayTooltip(lastStatus, new Date(), locale()) : null),
    trayHealth: () => lastStatus?.health ?? 'not-configured',
    clickTrayItem: async (id: string) => {
      const action = findMenuItem(trayItems, id)?.action;
      if (!action) throw new Error(`no tray item ${id}`);
      await runTrayAction(action);
    },
    openWindow: (kind: WindowKind) => {
      openWindow(kind);
    },
    openWindows: () => [...windows.keys()],
    notifications: () => shownNotifications.slice(),
    quit: () => quit.run(),
  };
}
