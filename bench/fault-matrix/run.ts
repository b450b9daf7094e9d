import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The fault matrix's figures (`__tests__/e2e/fault-matrix.test.ts`, real browser, real
 * collector, real time): per fault, the time from heal to drained beside its bound, and the
 * requests per 1,000 clicks with 10 % of requests failing at random. The figures are those
 * of the test run itself: this runs the file in the browser suite and prints what it wrote.
 * Run after `npm run build` (`npm run bench` does).
 */
interface Figures {
  engine: string;
  figures: { fault: string; scenario: string; ms: number; bound: number }[];
  random: { clicks: number; requests: number; failed: number; rate: number; ms: number; peakHeld: number } | null;
}

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'framewire-fault-matrix-'));
const out = join(dir, 'figures.json');
try {
  const vitest = resolve(root, 'node_modules/vitest/vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e-chromium', '__tests__/e2e/fault-matrix.test.ts'], {
    cwd: root,
    env: { ...process.env, FAULT_MATRIX_FIGURES: out },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  // The test's own report only when it failed: otherwise the figures below say it all.
  if (run.status !== 0) console.error(run.stdout);
  if (!existsSync(out)) throw new Error('the fault matrix wrote no figures');
  const { engine, figures, random } = JSON.parse(readFileSync(out, 'utf8')) as Figures;
  console.log(`fault matrix in ${engine}: heal → drained (bound = requestTimeout + maxRetryDelay × (1 + jitter) + maxBatchDelay)`);
  for (const row of figures) {
    const verdict = row.ms <= row.bound ? 'PASS' : 'FAIL';
    console.log(`  ${`${row.fault}, ${row.scenario}`.padEnd(72)} ${String(row.ms).padStart(6)} ms   bound ${String(row.bound).padStart(6)} ms   ${verdict}`);
  }
  if (random) {
    console.log(
      `requests per 1,000 clicks, ${Math.round(random.rate * 100)} % of requests failing at random: ` +
        `${Math.round((random.requests * 1000) / random.clicks)} (${random.failed} failed; ideal 100 requests of 10 clicks); ` +
        `at most ${random.peakHeld} clicks held at once`,
    );
  }
  if (run.status !== 0) {
    console.error('the fault matrix test failed: see its report above');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
