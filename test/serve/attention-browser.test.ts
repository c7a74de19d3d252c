// configs/ecom-din.yaml (DIN target attention) served in headless Chromium by the demo page: the
// page loads the model (the attention layer classes are registered in the browser bundle) and
// scores records, histories empty, short and full, as Node does for the same folder.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServableFromDir } from '../../src/serve/node.js';
import { bundlePage, startSite, type Site } from '../../src/serve/site.js';
import { chooseChromium } from './chromium.js';
import { compileConfig, tableRecords, tempDir, testTable } from './helpers.js';

describe('target attention served in headless Chromium', () => {
  let modelDir: string;
  let site: Site;
  let context: BrowserContext;
  const userDataDir = tempDir('mmoe-din-chromium-');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const browser = await chooseChromium();
    modelDir = await compileConfig('ecom-din');
    site = await startSite({ modelDir, bundle: await bundlePage() });
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    if (modelDir) rmSync(dirname(modelDir), { recursive: true, force: true });
  });

  it('scores 100 records as Node does, to 1e-5', async () => {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(site.url);
    await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status'), pageErrors.join('; ')).toMatch(/^ready/);
    const records = tableRecords(await testTable(modelDir, 'ecom-din'), 100);
    const lengths = records.map((r) =>
      String(r.user_history ?? '') === '' ? 0 : String(r.user_history).split('|').length,
    );
    expect(lengths).toContain(0);
    expect(Math.max(...lengths)).toBe(10);
    const inBrowser = await page.evaluate((recs) => window.mmoe.score(recs), records);
    const servable = await loadServableFromDir(modelDir, { backend: 'cpu' });
    const node = await servable.score(records);
    servable.dispose();
    expect(node.errors).toEqual([]);
    expect(inBrowser.errors).toEqual([]);
    let worst = 0;
    node.scores.forEach((s, i) => {
      for (const [task, v] of Object.entries(s ?? {}))
        worst = Math.max(worst, Math.abs((inBrowser.scores[i]?.[task] ?? Number.NaN) - v));
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
