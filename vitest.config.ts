import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const E2E_DIR = '__tests__/e2e';
const E2E_INCLUDE = [`${E2E_DIR}/**/*.test.ts`];

/** Browser test files that belong to Chromium alone: the dashboard test is the team's tool and drives playwright itself. */
const CHROMIUM_ONLY = [`${E2E_DIR}/dashboard.test.ts`];

/**
 * Browser test files not yet written against the engine driver (they import neither
 * `support/driver` nor `support/stage`, or import `playwright-core` themselves): they drive
 * Chromium directly, cannot run in the other engines, and the engine summary lists them.
 */
function notOnTheDriver(): string[] {
  return readdirSync(E2E_DIR)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(E2E_DIR, name))
    .filter((file) => {
      const source = readFileSync(file, 'utf8');
      const onDriver = /from\s+['"]\.\/support\/(driver|stage)['"]/.test(source);
      return !onDriver || /from\s+['"]playwright-core['"]/.test(source);
    });
}

const CHROMIUM_ONLY_FILES = Array.from(new Set([...CHROMIUM_ONLY, ...notOnTheDriver()])).sort();

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
 * Test files of the unit and server tiers that run at once. Vitest's default on two cores is
 * one; the server tier mostly waits on its databases and sockets, so two halve its time there.
 * (Projects of one `groupOrder` must agree on it.)
 */
const SIDE_BY_SIDE_FILES = 2;

/**
 * Three test tiers:
 * - unit:   logic in jsdom with fake timers; the integration suite runs the real bridge client and host bridge over a MessageChannel;
 * - server: the collector over real HTTP against SQLite and a throwaway PostgreSQL (each file
 *   its own databases, servers on free ports: files run side by side);
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
          maxWorkers: SIDE_BY_SIDE_FILES,
        },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['__tests__/server/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          maxWorkers: SIDE_BY_SIDE_FILES,
        },
      },
      e2eProject('chromium', 1),
      e2eProject('firefox', 2),
      e2eProject('webkit', 3),
    ],
  },
});
