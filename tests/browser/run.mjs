// Browser tests of `sayso serve` in headless Chromium (Debian's, driven by playwright-core):
// node run.mjs DEMO_URL HOSTILE_URL SCREENSHOT_DIR
// DEMO_URL serves `sayso serve --demo`; HOSTILE_URL a store of tests/serve/hostile.jsonl,
// whose title, text, names, post and links carry script payloads that set window.__xss.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [demo, hostile, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let passed = 0;
let failed = 0;

async function check(name, body) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  try {
    await body(page);
    if (dialogs.length) throw new Error(`a dialog opened: ${dialogs}`);
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  } finally {
    await page.close();
  }
}

function expect(cond, what) {
  if (!cond) throw new Error(what);
}

await check("search from the home page, matched words marked", async (page) => {
  await page.goto(demo + "/");
  await page.fill("#quick-q", "exhausted people");
  await page.press("#quick-q", "Enter");
  await page.waitForSelector("ol.hits li");
  expect((await page.locator("ol.hits li").count()) === 3, "three results");
  expect((await page.locator("mark.hit").count()) >= 3, "matched words marked");
  expect(await page.locator("a[href*='format=csv']").count() === 1, "a CSV download");
  await page.screenshot({ path: `${shots}/search.png`, fullPage: true });
});

await check("open an article: statements highlighted, details on focus", async (page) => {
  await page.goto(demo + "/search?q=exhausted+people");
  await page.click("ol.hits li:first-child p.meta a[href^='/articles/']");
  await page.waitForSelector("#text");
  expect((await page.locator("#text mark.q").count()) >= 3, "contents marked");
  expect((await page.locator("#text mark.cue").count()) >= 3, "cues marked");
  expect((await page.locator("#text mark.src").count()) >= 1, "sources marked");
  // Keyboard: Tab reaches the first statement, and the detail box says who spoke.
  await page.focus("#text mark[tabindex='0']");
  await page.keyboard.press("Tab");
  const detail = await page.locator("#detail").innerText();
  expect(/·/.test(detail) && !/Hover over/.test(detail), `details shown on focus: ${detail}`);
  const colours = await page.locator("#text mark.q").evaluateAll((ms) => new Set(ms.map((m) => getComputedStyle(m).backgroundColor)).size);
  expect(colours >= 2, "one colour per speaker");
  await page.screenshot({ path: `${shots}/article.png`, fullPage: true });
  // On a phone the speakers go below the text.
  await page.setViewportSize({ width: 390, height: 844 });
  const [text, side] = [await page.locator("#text").boundingBox(), await page.locator(".side").boundingBox()];
  expect(side.y >= text.y + text.height && text.width <= 390, "one column on a phone");
  await page.screenshot({ path: `${shots}/article-phone.png` });
});

await check("open a speaker page: chart, roles, statements", async (page) => {
  await page.goto(demo + "/articles/1");
  await page.click(".side a[href^='/speakers/']");
  await page.waitForSelector("svg.chart");
  expect((await page.locator("svg.chart rect").count()) >= 1, "weeks drawn");
  expect((await page.locator("ol.hits li").count()) >= 1, "statements listed");
  await page.screenshot({ path: `${shots}/speaker.png`, fullPage: true });
});

await check("follow a quotation's trail", async (page) => {
  await page.goto(demo + "/articles/1");
  await page.click(".statements a[href^='/trails/']");
  await page.waitForSelector("ol.trail");
  expect((await page.locator("ol.trail > li").count()) >= 2, "several appearances");
  expect((await page.locator("ol.trail ins").count()) >= 1, "changed wording marked");
  await page.screenshot({ path: `${shots}/trail.png`, fullPage: true });
});

await check("paste an article and see it marked up", async (page) => {
  await page.goto(demo + "/paste");
  await page.fill("#paste", "“We will fight this in parliament,” said Maria Lopez, a spokeswoman for the teachers’ union.\n\nOpposition leader Ahmed Khan said the plan would hurt rural schools.");
  await page.click("button[type=submit]");
  await page.waitForSelector("#text mark.q");
  expect((await page.locator(".side li").count()) === 2, "two speakers beside the text");
  await page.screenshot({ path: `${shots}/paste.png`, fullPage: true });
});

// XSS: every page that shows the hostile article, hovered and focused all over; no payload
// may run (each sets window.__xss) and each must be on the page as text.
const hostileText = JSON.parse(readFileSync(new URL("../serve/hostile.jsonl", import.meta.url), "utf8").split("\n")[0]).text;
async function noScriptRan(page, url) {
  if (url) await page.goto(url);
  for (const m of await page.locator("mark, a, li").all()) {
    await m.hover({ timeout: 1000 }).catch(() => {});
  }
  await page.keyboard.press("Tab");
  const xss = await page.evaluate(() => window.__xss);
  expect(xss === undefined, `a payload ran: window.__xss = ${xss}`);
  expect((await page.content()).includes("window.__xss"), "the payloads shown as text");
}
for (const [name, path] of [["article", "/articles/1"], ["search", "/search?q=window+xss"], ["home", "/"]]) {
  await check(`XSS: no script runs on the ${name} page`, (page) => noScriptRan(page, hostile + path));
}
await check("XSS: no script runs on a speaker page", async (page) => {
  await page.goto(hostile + "/articles/1");
  const href = await page.locator(".side a[href^='/speakers/']").first().getAttribute("href");
  await noScriptRan(page, hostile + href);
});
await check("XSS: no script runs when the article is pasted", async (page) => {
  await page.goto(hostile + "/paste");
  await page.fill("#paste", hostileText);
  await page.click("button[type=submit]");
  await page.waitForSelector("#text");
  await noScriptRan(page, null);
  expect((await page.inputValue("#paste")) === hostileText.replace(/\r\n?/g, "\n"), "the textarea holds the text, not markup");
  await page.screenshot({ path: `${shots}/xss-paste.png`, fullPage: true });
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
