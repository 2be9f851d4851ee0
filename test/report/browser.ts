/**
 * Debian's chromium driven by playwright-core. CI installs it (.ci/run) and sets
 * FEATUREFLOW_REQUIRE_BROWSER=1, so a missing browser fails there; elsewhere the browser tests
 * are skipped with a message saying how to get it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../engine/project.ts';

export const CHROMIUM = process.env.FEATUREFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);
const required = process.env.FEATUREFLOW_REQUIRE_BROWSER === '1';

if (!browserAvailable) {
  const message = `browser tests: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set FEATUREFLOW_CHROMIUM)`;
  if (required) throw new Error(`${message}; FEATUREFLOW_REQUIRE_BROWSER=1 makes this a failure`);
  process.stderr.write(`${message}: skipped\n`);
}

/** Where a reviewer finds the screenshots the browser tests take. */
export const SCREENSHOTS = join(projectRoot, 'test-output', 'report-screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface WatchedPage {
  readonly page: Page;
  readonly consoleErrors: string[];
  /** every request the page made that was not to `allowedOrigin` nor an inline data: or file: URL */
  readonly networkRequests: string[];
}

export async function openWatched(browser: Browser, allowedOrigin?: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors: string[] = [];
  const networkRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (url.startsWith('data:') || url.startsWith('file:') || (allowedOrigin && url.startsWith(allowedOrigin))) return;
    networkRequests.push(url);
  });
  return { page, consoleErrors, networkRequests };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
