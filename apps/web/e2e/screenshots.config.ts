import { defineConfig } from '@playwright/test';

// Screenshots of the web pages (docs/screenshots/) plus an axe pass on each page.
// Run: cd apps/web/e2e && npx playwright test --config screenshots.config.ts
// Same server handling as playwright.config.ts (global-setup starts HELPDESK_BIN on a
// free port with a fresh data dir unless HELPDESK_URL is set).
export default defineConfig({
  testDir: '.',
  testMatch: 'screenshots.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 600_000,
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
  },
});
