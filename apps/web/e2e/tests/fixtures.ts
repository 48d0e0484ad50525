import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const MAX_TARGETS = 3;

type Fixtures = {
  /** Runs axe on the page as it is now; fails listing every WCAG 2.2 A/AA violation. */
  expectNoAxeViolations: (page: Page, label: string) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  expectNoAxeViolations: async ({}, use, testInfo) => {
    await use(async (page: Page, label: string) => {
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      const violations = results.violations;
      if (violations.length > 0) {
        await testInfo.attach(`axe violations: ${label}`, {
          body: JSON.stringify(violations, null, 2),
          contentType: 'application/json',
        });
      }
      const lines = violations.map((v) => {
        const targets = v.nodes
          .slice(0, MAX_TARGETS)
          .map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' > '))
          .join(' | ');
        const more = v.nodes.length > MAX_TARGETS ? ` (+${v.nodes.length - MAX_TARGETS} more)` : '';
        return `${v.id} [${v.impact ?? 'n/a'}]: ${v.help} -> ${targets}${more}`;
      });
      expect(
        lines,
        `axe: ${violations.length} violation(s) on "${label}" (${page.url()})\n  ${lines.join('\n  ')}`,
      ).toEqual([]);
    });
  },
});
