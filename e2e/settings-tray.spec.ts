// Configurações in the tray popover (360x520): every section tab is on screen without scrolling
// the tab row sideways, and nothing on the page scrolls sideways either.
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test } from './support/cofre.js';

async function widths(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
}

test('at 360x520 every Configurações tab is visible and usable; no sideways scroll', async ({ page, cofre }) => {
  await cofre.api('importBackrest', { content: cofre.backrestConfig({ autoInitialize: false }) });
  await page.setViewportSize({ width: 360, height: 520 });
  await page.goto(cofre.url);
  await page.getByRole('navigation', { name: 'Seções principais' }).getByRole('link', { name: 'Configurações' }).click();
  const tabs = page.getByRole('tab');
  // Settings open without a technician password here, so the technician's Frota tab is there too.
  await expect(tabs).toHaveCount(7);
  await expect(page.getByRole('tab', { name: 'Frota' })).toBeVisible();
  for (const tab of await tabs.all()) await expect(tab).toBeInViewport({ ratio: 1 });
  const row = await widths(page, '[role=tablist]');
  expect(row.scroll, `the tab row is ${row.scroll} px wide in ${row.client} px`).toBeLessThanOrEqual(row.client);
  const pageWidth = await widths(page, 'html');
  expect(pageWidth.scroll).toBeLessThanOrEqual(pageWidth.client);
  await page.screenshot({ path: screenshotPath('settings-tabs-360') });

  // The last tab is reached with one click, as the first.
  await page.getByRole('tab', { name: 'Frota' }).click();
  await expect(page.getByRole('tab', { name: 'Frota' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Planos' }).click();
  const planPage = await widths(page, 'html');
  expect(planPage.scroll, 'the plan list widens the page').toBeLessThanOrEqual(planPage.client);
  const bar = await widths(page, '.save-bar');
  expect(bar.scroll, 'the save bar is cut at the edge').toBeLessThanOrEqual(bar.client);
  await page.screenshot({ path: screenshotPath('settings-plans-360') });
});
