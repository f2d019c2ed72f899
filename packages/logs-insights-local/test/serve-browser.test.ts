/// <reference lib="dom" />
// The functions given to page.evaluate run in the page: they see the DOM.
/**
 * `logs-insights serve` in a real browser: Debian's headless Chromium driven over the DevTools
 * Protocol (puppeteer-core, which brings no browser of its own), the server in-process on
 * 127.0.0.1 port 0 over fixture files in a temp dir. Any request that is not to that server fails
 * the test (the page loads nothing from elsewhere), and so does a console error (a CSP violation).
 * A screenshot is left in test-artifacts/serve.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prng } from 'pino-cloudwatch-test-support';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type RunningServer, startServer } from '../src/serve';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts');

/** Runs when Chromium is there; in CI a missing Chromium fails (with how to install it); locally it skips. */
function describeWithChromium(name: string, fn: () => void): void {
  if (fs.existsSync(CHROMIUM)) return describe(name, fn);
  const hint = `${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`;
  if (process.env.CI) {
    describe(name, () =>
      it('needs Chromium', () => {
        throw new Error(`${hint}: required in CI.`);
      }),
    );
    return;
  }
  console.warn(`${hint}: skipping the browser tests of logs-insights serve.`);
  describe.skip(name, fn);
}

const HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

/** Ten minutes of a service's lines, 12:00 to 12:10, one request every 3 s, with a hostile line. */
function fixtureLines(): Record<string, unknown>[] {
  const next = prng(7);
  const lines: Record<string, unknown>[] = [];
  for (let second = 0; second < 600; second += 3) {
    const roll = next();
    const level = roll < 0.08 ? 'ERROR' : roll < 0.2 ? 'WARN' : 'INFO';
    const at = new Date(Date.UTC(2025, 11, 13, 12, 0, second, Math.floor(next() * 1000))).toISOString();
    const base = { '@timestamp': at, level, logger: 'app', app: 'cw_demo', process: 'main' };
    if (level === 'ERROR')
      lines.push({
        ...base,
        message: 'payment lookup failed',
        res: { statusCode: 500 },
        error: { type: 'Error', message: 'payment lookup failed', code: 'DEMO_PAYMENT_LOOKUP' },
      });
    else if (level === 'WARN') lines.push({ ...base, message: 'quota almost used', quota_used_pct: 93 });
    else
      lines.push({
        ...base,
        message: 'GET /',
        user_id: Math.floor(next() * 1000),
        response_time_ms: Math.round(next() * 300),
      });
  }
  lines.push({ '@timestamp': '2025-12-13T12:09:59.000Z', level: 'ERROR', logger: 'app', message: HOSTILE });
  return lines;
}

describeWithChromium('logs-insights serve in headless Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  const lines = fixtureLines();
  const outside: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-insights-serve-'));
    const half = Math.floor(lines.length / 2);
    const write = (name: string, part: Record<string, unknown>[]) =>
      fs.writeFileSync(path.join(dir, name), part.map((line) => JSON.stringify(line)).join('\n') + '\n');
    write('app.log.2025-12-13_12', lines.slice(0, half));
    write('app.log.2025-12-13_12.1', lines.slice(half));
    server = await startServer({ host: '127.0.0.1', port: 0, inputs: [path.join(dir, 'app.log.*')] });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: path.join(dir, 'chromium-profile'),
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    const seen = { outside: [...outside], consoleErrors: [...consoleErrors] };
    outside.length = 0;
    consoleErrors.length = 0;
    expect(seen).toEqual({ outside: [], consoleErrors: [] });
  });

  /** A page that fails the test on a request to anywhere but the server, or a console error. */
  async function openPage(search = ''): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url().startsWith(server.url)) return void request.continue();
      outside.push(request.url());
      void request.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.goto(`${server.url}${search}`);
    return page;
  }

  /** Waits for the page to finish its query: `done` or `error` (or `idle` when it ran none). */
  async function settled(page: Page, state = 'done'): Promise<void> {
    await page.waitForFunction(() => ['done', 'error', 'idle'].includes(document.body.dataset.state ?? ''), {
      timeout: 20_000,
    });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe(state);
  }

  async function typeQuery(page: Page, query: string): Promise<void> {
    await page.click('#query', { count: 3 });
    await page.evaluate(() => {
      (document.getElementById('query') as HTMLTextAreaElement).value = '';
    });
    await page.type('#query', query);
  }

  const table = (page: Page) =>
    page.evaluate(() => ({
      head: [...document.querySelectorAll('#results thead th')].map((th) => th.textContent).slice(1),
      rows: [...document.querySelectorAll('#results tbody tr.row')].map((tr) =>
        [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent),
      ),
    }));

  const bars = (page: Page) =>
    page.$$eval('#histogram rect.bar', (rects) =>
      rects.map((rect) => ({
        start: rect.getAttribute('data-start'),
        count: Number(rect.getAttribute('data-count')),
      })),
    );

  const count = (level: string) => lines.filter((line) => line.level === level).length;

  it('types a query, runs it: the table, the bars of the histogram, the address; a row opens on every field', async () => {
    const page = await openPage();
    await settled(page, 'idle');
    await typeQuery(
      page,
      'filter level = "ERROR"\n| fields @timestamp, level, message, error.type\n| sort @timestamp desc',
    );
    await page.click('#run');
    await settled(page);

    const { head, rows } = await table(page);
    expect(head).toEqual(['@timestamp', 'level', 'message', 'error.type']);
    expect(rows).toHaveLength(count('ERROR'));
    expect(rows[0]).toEqual(['2025-12-13 12:09:59.000', 'ERROR', HOSTILE, '']);
    expect(rows[1]).toEqual([
      expect.stringMatching(/^2025-12-13 12:0\d:\d\d\.\d{3}$/),
      'ERROR',
      'payment lookup failed',
      'Error',
    ]);

    // The histogram: the matching events per bin (10 minutes: 10 s bins), summing to the rows.
    const drawn = await bars(page);
    expect(drawn.length).toBeGreaterThanOrEqual(10);
    expect(drawn.reduce((sum, bar) => sum + bar.count, 0)).toBe(count('ERROR'));
    expect(drawn[0].start).toBe('2025-12-13T12:00:00.000Z');
    expect(Date.parse(drawn[1].start!) - Date.parse(drawn[0].start!)).toBe(10_000);
    const heights = await page.$$eval('#histogram rect.bar', (rects) =>
      rects.map((rect) => Number(rect.getAttribute('height'))),
    );
    const tallest = Math.max(...drawn.map((bar) => bar.count));
    drawn.forEach((bar, i) => expect(heights[i]).toBeCloseTo((bar.count / tallest) * 112, 1));

    // The state is in the address.
    const address = new URL(page.url());
    expect(address.searchParams.get('query')).toBe(
      'filter level = "ERROR"\n| fields @timestamp, level, message, error.type\n| sort @timestamp desc',
    );

    // Discovered fields, with counts over the rows.
    const fields = await page.$$eval('#fields li', (items) =>
      items.map((item) => [
        item.querySelector('.name')?.textContent,
        item.querySelector('.count')?.textContent,
      ]),
    );
    expect(fields).toContainEqual(['level', String(count('ERROR'))]);
    expect(fields).toContainEqual(['error.type', String(count('ERROR') - 1)]);

    // A row opens on every field of its event.
    await page.click('#results tbody tr.row:nth-child(2)');
    const opened = await page.$$eval('#results tbody tr.detail tr', (trs) =>
      trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
    );
    expect(opened).toEqual(
      expect.arrayContaining([
        ['error.code', 'DEMO_PAYMENT_LOOKUP'],
        ['res.statusCode', '500'],
        ['@logStream', expect.stringMatching(/^app\.log\.2025-12-13_12/)],
        ['@@timestamp', expect.stringMatching(/^2025-12-13T12:/)],
      ]),
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'serve.png') });
    await page.close();
  });

  it('opening /?query=stats count(*) by level runs it: the counts in the table', async () => {
    const page = await openPage(`?query=${encodeURIComponent('stats count(*) by level')}`);
    await settled(page);
    expect(await page.$eval('#query', (area) => (area as HTMLTextAreaElement).value)).toBe(
      'stats count(*) by level',
    );
    const { head, rows } = await table(page);
    expect(head).toEqual(['level', 'count(*)']);
    expect(Object.fromEntries(rows.map(([level, n]) => [level, Number(n)]))).toEqual({
      INFO: count('INFO'),
      WARN: count('WARN'),
      ERROR: count('ERROR'),
    });
    // Every event matches a query without filter: the bars hold them all.
    expect((await bars(page)).reduce((sum, bar) => sum + bar.count, 0)).toBe(lines.length);
    await page.close();
  });

  it('since/until from the address; a new query is a history entry, Back runs the one before', async () => {
    const page = await openPage(
      `?${new URLSearchParams({ query: 'stats count(*) as n', since: '2025-12-13T12:05:00Z', until: '2025-12-13T12:06:00Z' })}`,
    );
    await settled(page);
    expect(await page.$eval('#since', (input) => (input as HTMLInputElement).value)).toBe(
      '2025-12-13T12:05:00Z',
    );
    expect((await table(page)).rows).toEqual([['20']]);
    await typeQuery(page, 'stats count(*) as n by level');
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    await settled(page);
    expect((await table(page)).head).toEqual(['level', 'n']);
    expect(new URL(page.url()).searchParams.get('since')).toBe('2025-12-13T12:05:00Z');
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('#results thead th').length === 2);
    await settled(page);
    expect((await table(page)).rows).toEqual([['20']]);
    await page.close();
  });

  it('an event with <script> and <img onerror> renders as text, in the table and in the opened row', async () => {
    const page = await openPage(
      `?query=${encodeURIComponent('filter level = "ERROR" | fields message | limit 1')}`,
    );
    await settled(page);
    expect((await table(page)).rows).toEqual([[HOSTILE]]);
    await page.click('#results tbody tr.row');
    const texts = await page.$$eval('#results td', (tds) => tds.map((td) => td.textContent));
    expect(texts.filter((text) => text === HOSTILE).length).toBeGreaterThanOrEqual(2);
    expect(await page.$$eval('#results img, #results script', (nodes) => nodes.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });

  it('a query syntax error shows the message with the caret under the column, and the cursor there', async () => {
    const page = await openPage();
    await settled(page, 'idle');
    await typeQuery(page, 'filter level = = "x"');
    await page.click('#run');
    await settled(page, 'error');
    expect(await page.$eval('#error', (pre) => pre.textContent)).toBe(
      'expected a value, got "=" (line 1, column 16)\n  filter level = = "x"\n                 ^',
    );
    expect(await page.$eval('#query', (area) => (area as HTMLTextAreaElement).selectionStart)).toBe(15);
    expect(await page.$$eval('#results tbody tr', (trs) => trs.length)).toBe(0);
    // The browser logs the answer's status, 400, which is the one console error expected here.
    expect(consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    consoleErrors.length = 0;
    await page.close();
  });

  it('the query pack: picking a saved query puts it in the editor', async () => {
    const page = await openPage();
    await settled(page, 'idle');
    const names = await page.$$eval('#saved option', (options) =>
      options.map((option) => option.textContent),
    );
    expect(names).toContain('errors');
    await page.select(
      '#saved',
      await page.$$eval(
        '#saved option',
        (options) =>
          (options as HTMLOptionElement[]).find((option) => option.textContent === 'errors')!.value,
      ),
    );
    expect(await page.$eval('#query', (area) => (area as HTMLTextAreaElement).value)).toContain(
      'filter level in ["ERROR", "FATAL"]',
    );
    await page.click('#run');
    await settled(page);
    expect((await table(page)).rows).toHaveLength(count('ERROR'));
    await page.close();
  });
});
