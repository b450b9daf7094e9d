import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const E2E_DIR = '__tests__/e2e';
const E2E_INCLUDE = [`${E2E_DIR}/**/*.test.ts`];

/** Browser test files that belong to Chromium alone: the dashboard test is the team's tool and drives playwright itself. */
const CHROMIUM_ONLY = [`${E2E_DIR}/dashboard.test.ts`];

/**
 * Browser test files that still drive Chromium through playwright directly (the file, or a
 * support module it imports, imports `playwright-core`): they cannot run in the other engines
 * until they are written against the driver, and the engine summary lists them.
 */
function playwrightBound(): string[] {
  const importsPlaywright = (file: string, depth: number): boolean => {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    if (/from\s+['"]playwright-core['"]/.test(source)) return true;
    if (depth === 0) return false;
    const local = Array.from(source.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g), (match) => match[1] ?? '');
    return local.some((path) => !path.includes('/driver') && importsPlaywright(resolve(dirname(file), `${path}.ts`), depth - 1));
  };
  return readdirSync(E2E_DIR)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(E2E_DIR, name))
    .filter((file) => importsPlaywright(file, 1));
}

const CHROMIUM_ONLY_FILES = Array.from(new Set([...CHROMIUM_ONLY, ...playwrightBound()])).sort();

/** One browser project per engine; `groupOrder` runs them one after another (their ports, CPU and displays never overlap). */
function e2eProject(engine: 'chromium' | 'firefox' | 'webkit', groupOrder: number): TestProjectInlineConfiguration {
  return {
    test: {
      name: `e2e-${engine}`,
      environment: 'node',
      include: E2E_INCLUDE,
      exclude: engine === 'chromium' ? [] : CHROMIUM_ONLY_FILES,
      globalSetup: ['__tests__/e2e/support/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      fileParallelism: false,
      sequence: { groupOrder },
    },
  };
}

/**
 * Three test tiers:
 * - unit:   logic in jsdom with fake timers and a mock messenger;
 * - server: the collector over real HTTP against SQLite and a throwaway PostgreSQL;
 * - e2e-chromium, e2e-firefox, e2e-webkit: real browsers, host page and widget on two
 *   origins, one engine after the other.
 */
export default defineConfig({
  test: {
    reporters: ['default', ['./__tests__/e2e/support/engine-summary-reporter.ts', { chromiumOnly: CHROMIUM_ONLY_FILES }]],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['__tests__/unit/**/*.test.{ts,tsx}', '__tests__/integration/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['__tests__/server/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      e2eProject('chromium', 1),
      e2eProject('firefox', 2),
      e2eProject('webkit', 3),
    ],
  },
});
