import { chromium, type Browser } from 'playwright-core';
import type { Run } from './run';

/** Debian's Chromium (installed by `npm run setup:vscode`); Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium, ended by `run`'s teardown. Signals are left to `Run`, which closes the browser in order. */
export async function launchBrowser(run: Run): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.PAI_TEST_CHROMIUM ?? CHROMIUM,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  run.defer('chromium', () => browser.close());
  return browser;
}
