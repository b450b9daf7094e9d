import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** What the engine summary needs from the vitest config. */
export interface EngineSummaryOptions {
  /** Browser test files left out of Firefox and WebKit (Chromium only), said once so the gap is never silent. */
  chromiumOnly?: readonly string[];
}

interface Counts {
  version: string;
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
}

/**
 * Ends a run that included browser tests with one line per engine, e.g.
 * `Chromium 156.0.8078.73: 12 passed, 0 failed, 1 skipped (48 s)`, in the order the engines ran.
 */
export default class EngineSummaryReporter implements Reporter {
  readonly #chromiumOnly: readonly string[];

  constructor(options: EngineSummaryOptions = {}) {
    this.#chromiumOnly = options.chromiumOnly ?? [];
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const engines = new Map<string, Counts>();
    for (const module of testModules) {
      const project = module.project;
      if (!project.name.startsWith('e2e-')) continue;
      const provided = project.getProvidedContext();
      const counts = engines.get(project.name) ?? { version: provided.engineVersion ?? project.name, passed: 0, failed: 0, skipped: 0, durationMs: 0 };
      counts.durationMs += module.diagnostic().duration;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that failed to load has no tests: count it as one failure.
      if (module.state() === 'failed' && Array.from(module.children.allTests()).length === 0) counts.failed += 1;
      engines.set(project.name, counts);
    }
    if (engines.size === 0) return;
    const lines = [''];
    if (this.#chromiumOnly.length > 0) {
      lines.push(`Chromium only (not run in Firefox and WebKit): ${this.#chromiumOnly.map((file) => relative('__tests__/e2e', file)).join(', ')}`);
    }
    for (const counts of engines.values()) {
      lines.push(`${counts.version}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${Math.round(counts.durationMs / 1000)} s)`);
    }
    console.log(lines.join('\n'));
  }
}
