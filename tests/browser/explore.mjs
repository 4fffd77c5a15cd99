// Drives headless Chromium through `musubi serve` as a reader would: search by
// another spelling, open the entity, read its facts and their sentences, click
// a neighbour in the picture, open an article with its mentions highlighted.
// Run by tests/serve_browser.rs, which starts the server and picks the names
// from the store; the inputs come as environment variables:
//   MUSUBI_URL       the server's base URL
//   MUSUBI_CASE      JSON: { alt, label, sentence, neighbour, article }
//   MUSUBI_CHROMIUM  the browser executable (default /usr/bin/chromium)
//   MUSUBI_SCREENSHOTS  a folder for screenshots (optional)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const base = process.env.MUSUBI_URL;
const c = JSON.parse(process.env.MUSUBI_CASE);
const shots = process.env.MUSUBI_SCREENSHOTS;

function check(ok, what) {
  if (!ok) throw new Error(`browser check failed: ${what}`);
  console.log(`ok: ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.MUSUBI_CHROMIUM || '/usr/bin/chromium',
  // This machine's network is closed: keep Chromium from calling out.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(15000);

  // 1. Search by an alternative spelling from the header's search box.
  await page.goto(base + '/');
  await page.fill('header input[name=q]', c.alt);
  await Promise.all([page.waitForURL(/\/search\?/), page.press('header input[name=q]', 'Enter')]);
  const hit = page.locator('ol.results a.hit').getByText(c.label, { exact: true }).first();
  check(await hit.count() === 1, `search for "${c.alt}" lists "${c.label}"`);

  // 2. The entity page: its spellings, its facts with their sentences.
  await Promise.all([page.waitForURL(/\/entity\?/), hit.click()]);
  check((await page.locator('h1').innerText()).includes(c.label), 'the entity page has its name as heading');
  const spellings = await page.locator('ul.spellings li').allInnerTexts();
  check(spellings.includes(c.alt), `the entity page lists the spelling "${c.alt}"`);
  const facts = page.locator('table.facts tr.fact');
  check(await facts.count() >= 1, 'the entity page lists facts');
  const sentences = await page.locator('table.facts td.sentence').allInnerTexts();
  check(sentences.some(s => s.includes(c.sentence)), 'a fact shows the sentence it came from');
  const frame = page.frameLocator('iframe.graph');
  // The neighbour's node: its link holds a label that is exactly the name.
  const node = frame.locator('g.node a')
    .filter({ has: frame.getByText(c.neighbour, { exact: true }) }).first();
  await node.waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'entity.png'), fullPage: true });

  // 3. Clicking the neighbour's node in the SVG opens its page.
  await Promise.all([page.waitForURL(/\/entity\?/), node.click()]);
  check((await page.locator('h1').innerText()).includes(c.neighbour), `clicking "${c.neighbour}" in the picture opens its page`);

  // 4. The article page: mentions highlighted by type, fact sentences marked.
  await page.goto(`${base}/article/${c.article}`);
  const mentions = page.locator('.text a.ent');
  check(await mentions.count() >= 2, 'the article text has highlighted mentions');
  const names = await mentions.evaluateAll(els => els.map(e => e.firstChild.textContent));
  check(names.includes(c.label) || names.includes(c.alt), `"${c.label}" is highlighted in its article`);
  const colours = await mentions.evaluateAll(els => [...new Set(els.map(e => getComputedStyle(e).backgroundColor))]);
  check(colours.every(col => col !== 'rgba(0, 0, 0, 0)'), 'highlights are coloured');
  check(await page.locator('.text mark.fact').count() >= 1, "the facts' sentences are marked");
  if (shots) await page.screenshot({ path: join(shots, 'article.png'), fullPage: true });

  // 5. English relation names on request, kept by a cookie.
  await page.goto(`${base}/query?lang=en`);
  await page.click('text=Who heads what');
  check(await page.locator('table.results').count() === 1, 'an example query runs from the query page');
  console.log('browser checks passed');
} finally {
  await browser.close();
}
