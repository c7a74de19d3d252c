// The demo page on ONNX Runtime Web in headless Chromium (chosen as in test/serve/chromium.ts:
// CHROMIUM_PATH, Debian's chromium or @sparticuz/chromium; driven by playwright-core): with ?engine=onnxruntime-web the page
// exports the model folder to ONNX in the browser and scores with ONNX Runtime's WebAssembly
// build; 300 records (unknown categories and scenarios, empty sequences, missing values) and 3
// bad records give the same errors as tfjs in Node and scores equal to 1e-5.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreResult } from '../../src/serve/index.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { bundlePage, startSite, type Site } from '../../src/serve/site.js';
import { chooseChromium } from '../serve/chromium.js';
import { compileConfig, tableRecords, tempDir, testTable } from '../serve/helpers.js';
import { compareScores, hardRecords } from './records.js';

describe('ONNX Runtime Web in headless Chromium (demo page, ?engine=onnxruntime-web)', () => {
  let modelDir: string;
  let site: Site;
  let context: BrowserContext;
  let page: Page;
  let records: unknown[];
  let reference: ScoreResult;
  const userDataDir = tempDir('mmoe-onnx-chromium-');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const browser = await chooseChromium();
    modelDir = await compileConfig('multi-scenario');
    const [bundle, table] = await Promise.all([bundlePage(), testTable(modelDir, 'multi-scenario')]);
    const tfjs = await loadServableFromDir(modelDir, { backend: 'cpu' });
    records = hardRecords(tfjs, tableRecords(table, 300), 3);
    reference = await tfjs.score(records);
    tfjs.dispose();
    site = await startSite({ modelDir, bundle });
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
    await page.goto(`${site.url}?engine=onnxruntime-web`);
    await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 60_000 });
    const status = await page.textContent('#status');
    if (!status?.startsWith('ready'))
      throw new Error(`the page did not load the model: ${status}; page errors: ${pageErrors.join('; ')}`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    if (modelDir) rmSync(dirname(modelDir), { recursive: true, force: true });
  });

  it('runs on ONNX Runtime Web and scores like tfjs in Node', async () => {
    expect(await page.textContent('#status')).toMatch(
      /^ready: multi_scenario, ONNX Runtime Web \S* ?\(wasm\), model from /,
    );
    expect(await page.inputValue('#engine')).toBe('onnxruntime-web');
    const got = (await page.evaluate((rs) => window.mmoe.score(rs), records)) as ScoreResult;
    const { scored, maxDiff: worst } = compareScores(reference, got);
    expect(scored).toBeGreaterThanOrEqual(256);
    expect(worst).toBeLessThanOrEqual(1e-5);
    console.log(
      `onnx parity multi-scenario onnxruntime-web in Chromium: ${scored} records, max |diff| ${worst.toExponential(2)}`,
    );
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
