// e2e runs the real renderer in Debian's Chromium (never a downloaded browser) against the real
// core through `cofre serve`, and the Electron spec wherever an Electron binary exists.
import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.COFRE_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    locale: 'pt-BR',
    viewport: { width: 1100, height: 760 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'web',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts/,
    },
  ],
});
