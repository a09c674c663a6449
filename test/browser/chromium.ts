/**
 * Headless Chromium for the browser tests: the system's own build (Debian's
 * `chromium`; playwright-core never downloads one), and pages that record every
 * console error, uncaught exception and request that leaves the test server.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import type { StaticServer } from "./server.js";

/** Where the browser is; `CHROMIUM` overrides it on machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether Chromium is on this machine. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** `NETPOL_REQUIRE_BROWSER=1` (set by `.ci/run`) turns a missing Chromium into failures instead of skips. */
const REQUIRE_CHROMIUM = process.env.NETPOL_REQUIRE_BROWSER === "1";

/**
 * The suite to register tests that need Chromium with: `suite` itself when Chromium is
 * here (or required), otherwise one that counts each of its tests as skipped and says
 * so on stderr, so that a clone of the project alone passes `npm test` without a browser.
 */
export function needsChromium(suite: Test): Test {
  if (HAS_CHROMIUM || REQUIRE_CHROMIUM) return suite;
  let told = false;
  const skip = ((name: string) => {
    if (!told) {
      told = true;
      console.error(`\n!!! SKIPPED: browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM)\n`);
    }
    suite.skip(name);
  }) as unknown as Test;
  return Object.assign(skip, suite);
}

/** Starts Chromium, or throws saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM to its path)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 30_000 });
}

/** A page and what went wrong on it. */
export interface WatchedPage {
  readonly page: Page;
  /** Console errors, uncaught exceptions and blocked requests, in order. */
  readonly problems: string[];
}

/**
 * Opens a page that may only talk to `origin`: any other request is aborted and
 * recorded, like console errors and uncaught exceptions.
 */
export async function watchedPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:")) return route.continue();
    problems.push(`request outside the test server: ${url}`);
    return route.abort();
  });
  return { page, problems };
}

/** A browser with one watched page open on a test server's root. */
export interface BrowserSession extends WatchedPage {
  readonly server: StaticServer;
  readonly browser: Browser;
}

/**
 * Launches Chromium on `server`'s root page and waits for `ready`; on any failure
 * closes what it opened before rethrowing.
 */
export async function openSession(server: StaticServer, ready: (page: Page) => Promise<unknown>): Promise<BrowserSession> {
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const watched = await watchedPage(browser, server.origin);
    await watched.page.goto(`${server.origin}/`);
    await ready(watched.page);
    return { ...watched, server, browser };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}

/**
 * Adds a suite's last test (the page logged no error and asked for nothing outside
 * the test server) and closes its session, if it was ever opened, after the suite.
 */
export function closeSessionAfter(suite: Test, open: () => Promise<BrowserSession>, opened: () => Promise<BrowserSession> | undefined): void {
  suite("the page logged no error and asked for nothing outside the test server", async () => {
    const { problems } = await open();
    assert.equal(problems, []);
  });
  suite.after(async () => {
    const session = await opened()?.catch(() => null);
    if (session == null) return;
    await session.browser.close();
    await session.server.close();
  });
}
