import { defineConfig } from '@playwright/test';

// Browser tests for the server-rendered pages. Run them with ./run.sh.
//
// HELPDESK_URL: test an already running server (global-setup then starts nothing).
// Otherwise global-setup.ts starts HELPDESK_BIN (default: target/debug/helpdesk of the
// workspace) on a free port with a fresh data dir and sets HELPDESK_URL for the workers
// (the workers load this file again and so pick up the baseURL).
// CHROMIUM_PATH: the browser (default: Debian's /usr/bin/chromium; never
// `npx playwright install`).
export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL: process.env.HELPDESK_URL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox'],
    },
    screenshot: 'only-on-failure',
  },
});
