// The serving API in a real browser: a small compiled model folder, the demo page (web/index.html
// + src/serve/page.ts bundled with @tensorflow/tfjs by esbuild) on a local node:http server, and
// Debian's Chromium, headless, driven by playwright-core. The page's scores must equal Node's
// for the same records; its form must score one record and report a bad field.
//
// Chromium comes from CHROMIUM_PATH, Debian's /usr/bin/chromium or the @sparticuz/chromium
// devDependency (chromium.ts), so the test runs on a fresh clone after `npm ci`. Set
// SERVE_SCREENSHOT_DIR to keep the screenshots somewhere else than the temp folder.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreResult } from '../../src/serve/index.js';
import { loadServable } from '../../src/serve/index.js';
import { loadServableFromDir } from '../../src/serve/node.js';
import { bundlePage, startSite, type Site } from '../../src/serve/site.js';
import { chooseChromium } from './chromium.js';
import { compileConfig, tableRecords, tempDir, testTable } from './helpers.js';

const TOLERANCE = 1e-5;

// window.mmoe is declared by src/serve/page.ts (the page script).

function expectSameScores(browser: ScoreResult, node: ScoreResult): void {
  expect(browser.errors).toEqual(node.errors);
  expect(browser.scores.length).toBe(node.scores.length);
  let worst = 0;
  node.scores.forEach((s, i) => {
    const b = browser.scores[i];
    if (s === null) return expect(b, `record ${i}`).toBeNull();
    expect(b, `record ${i}`).not.toBeNull();
    expect(Object.keys(b!).sort()).toEqual(Object.keys(s).sort());
    for (const [task, v] of Object.entries(s)) {
      expect(Number.isFinite(b![task]), `record ${i} ${task}`).toBe(true);
      worst = Math.max(worst, Math.abs(b![task] - v));
    }
  });
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
}

describe('serving in headless Chromium (demo page)', () => {
  let modelDir: string;
  let site: Site;
  let context: BrowserContext;
  let page: Page;
  let records: Record<string, unknown>[];
  const userDataDir = tempDir('mmoe-serve-chromium-');
  const shots = process.env.SERVE_SCREENSHOT_DIR ?? tempDir('mmoe-serve-shots-');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const browser = await chooseChromium();
    console.log(`browser test: ${browser.source}`);
    mkdirSync(shots, { recursive: true });
    modelDir = await compileConfig('multi-scenario');
    const [bundle, table] = await Promise.all([bundlePage(), testTable(modelDir, 'multi-scenario')]);
    records = tableRecords(table, 100);
    site = await startSite({ modelDir, bundle });
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
      viewport: { width: 1100, height: 800 },
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())));
    await page.goto(site.url);
    await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 30_000 });
    const status = await page.textContent('#status');
    if (!status?.startsWith('ready'))
      throw new Error(`the page did not load the model: ${status}; page errors: ${pageErrors.join('; ')}`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    if (modelDir) rmSync(dirname(modelDir), { recursive: true, force: true });
  });

  it('scores 100 records exactly as the same API does in Node', async () => {
    const browser = await page.evaluate((recs) => window.mmoe.score(recs), records);
    const servable = await loadServableFromDir(modelDir, { backend: 'cpu' });
    const node = await servable.score(records);
    servable.dispose();
    expect(node.errors).toEqual([]);
    expect(browser.scores.filter((s) => s !== null)).toHaveLength(100);
    // Every scenario and the unknown one are in the sample: the scenario input is exercised.
    expect(new Set(records.map((r) => r.scene))).toEqual(new Set(['home', 'search', 'detail']));
    expectSameScores(browser, node);
  });

  it('reports bad records per record in the browser as in Node, and scores the rest', async () => {
    const mixed = [
      records[0],
      { ...records[1], user_age: 'old' },
      { ...records[2], scene: 'checkout', user_gender: 'x' },
      (({ item_price: _, ...r }) => r)(records[3]),
    ];
    const browser = await page.evaluate((recs) => window.mmoe.score(recs), mixed);
    const servable = await loadServableFromDir(modelDir, { backend: 'cpu' });
    const node = await servable.score(mixed);
    servable.dispose();
    expect(browser.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'user_age'],
      [3, 'item_price'],
    ]);
    expectSameScores(browser, node);
  });

  it('shows the spec summary', async () => {
    expect(await page.textContent('#model-name')).toBe('multi_scenario');
    expect(await page.textContent('#family')).toContain('Multi-scenario MMoE');
    expect(await page.$$eval('#tasks tbody tr', (rows) => rows.map((r) => r.querySelector('td')?.textContent))).toEqual(
      ['ctr', 'cvr'],
    );
    expect(await page.$$eval('#inputs tbody tr', (rows) => rows.length)).toBe(10);
  });

  it('scores the record typed into the form', async () => {
    const record = records[5];
    for (const [field, value] of Object.entries(record)) {
      const box = page.locator(`#field-${field}`);
      if ((await box.count()) === 1) await box.fill(value === null ? '' : String(value));
    }
    await page.click('#score-button');
    await page.waitForSelector('#scores');
    const shown = Object.fromEntries(
      await page.$$eval('#scores tbody tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')),
      ),
    );
    const servable = await loadServableFromDir(modelDir, { backend: 'cpu' });
    const node = (await servable.score([record])).scores[0]!;
    servable.dispose();
    expect(Object.keys(shown)).toEqual(['ctr', 'cvr']);
    for (const [task, text] of Object.entries(shown))
      expect(Math.abs(Number(text) - node[task])).toBeLessThanOrEqual(TOLERANCE);
    const file = join(shots, 'serving-page.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    expect(existsSync(file)).toBe(true);
  });

  it('names the field when the form holds a mistyped value', async () => {
    await page.fill('#field-user_age', 'thirty');
    await page.click('#score-button');
    await page.waitForSelector('#errors');
    expect(await page.textContent('#errors')).toContain('field "user_age" must be a number, found the string "thirty"');
    await page.screenshot({ path: join(shots, 'serving-page-error.png'), fullPage: true });
  });

  it('Node loads the same folder over HTTP (fetch loader) with the same scores', async () => {
    const tf = await import('@tensorflow/tfjs');
    const overHttp = await loadServable(`${site.url}model/`, { tf });
    const fromDisk = await loadServableFromDir(modelDir, { tf });
    expectSameScores(await overHttp.score(records.slice(0, 20)), await fromDisk.score(records.slice(0, 20)));
    overHttp.dispose();
    fromDisk.dispose();
    await expect(loadServable(`${site.url}nothing-here/`, { tf })).rejects.toThrow(
      /cannot fetch .*nothing-here\/model\.json: HTTP 404/,
    );
  });

  it('the page raised no errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
