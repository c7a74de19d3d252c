// A trained STAR model (configs/star.yaml, one epoch on data with the scene effect) served on the
// demo page in headless Chromium scores records exactly as the same API does in Node: the
// StarDense layer is registered in the browser bundle, and trained scenario kernels are used.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../src/driver/train.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { bundlePage, startSite, type Site } from '../../src/serve/site.js';
import { chooseChromium } from './chromium.js';
import { ROOT, tableRecords, tempDir, testTable } from './helpers.js';

const dir = tempDir('mmoe-serve-star-');
const userDataDir = tempDir('mmoe-serve-star-chromium-');
let site: Site | undefined;
let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('a trained STAR model in headless Chromium', () => {
  it('scores 100 records as Node does', async () => {
    const modelDir = join(dir, 'star');
    const sets = ['data.rows=2000', 'data.testRows=300', 'training.epochs=1', 'data.params.scenarioEffect=1'];
    const r = await runTraining(join(ROOT, 'configs/star.yaml'), { sets, outDir: modelDir, backend: 'wasm' });
    if (!r.ok) throw new Error(`training failed: ${r.message ?? r.diagnostics.map((d) => d.message).join('; ')}`);
    const records = tableRecords(await testTable(modelDir, 'star'), 100);
    expect(new Set(records.map((x) => x.scene))).toEqual(new Set(['home', 'search', 'detail']));

    const browser = await chooseChromium();
    site = await startSite({ modelDir, bundle: await bundlePage() });
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url);
    await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status'), errors.join('; ')).toMatch(/^ready/);
    const inBrowser = await page.evaluate((recs) => window.mmoe.score(recs), records);

    const servable = await loadServableFromDir(modelDir, { backend: 'cpu' });
    const inNode = await servable.score(records);
    servable.dispose();
    expect(inNode.errors).toEqual([]);
    expect(inBrowser.errors).toEqual([]);
    let worst = 0;
    inNode.scores.forEach((s, i) => {
      for (const task of ['ctr', 'cvr']) {
        const b = inBrowser.scores[i]?.[task] ?? Number.NaN;
        expect(Number.isFinite(b)).toBe(true);
        worst = Math.max(worst, Math.abs(b - (s?.[task] ?? Number.NaN)));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  }, 180_000);
});
