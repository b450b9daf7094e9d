import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Prints the embed script's size, raw and gzip, and with `--check` fails when it is over
 * its budget. The embed script runs on every customer page: every byte is theirs.
 *
 * Sizes are in bytes and in decimal kB (1 kB = 1000 bytes), as vite prints them and as
 * the budget ("≤ 9.0 kB") is read. gzip is measured at level 9; vite's own build line uses
 * its default level and may differ by a few dozen bytes.
 */
export const EMBED_BUDGET_GZIP_BYTES = 9000;

const root = resolve(import.meta.dirname, '..');
const file = resolve(root, 'dist/embed.js');
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB (${bytes} bytes)`;

console.log(`dist/embed.js  ${kb(source.length)} raw, ${kb(gzip)} gzip; budget ${kb(EMBED_BUDGET_GZIP_BYTES)} gzip`);

if (process.argv.includes('--check')) {
  if (gzip > EMBED_BUDGET_GZIP_BYTES) {
    console.error(`size budget: FAIL, dist/embed.js is ${kb(gzip - EMBED_BUDGET_GZIP_BYTES)} over the budget`);
    process.exit(1);
  }
  console.log(`size budget: OK, ${kb(EMBED_BUDGET_GZIP_BYTES - gzip)} to spare`);
}
