import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Prints the embed script's size, raw and gzip (what `npm run build:widget` shows), and with
 * `--check` fails when it is over its budget. The embed script runs on every customer page:
 * every byte is theirs.
 */
export const EMBED_BUDGET_GZIP_BYTES = 8 * 1024;

const root = resolve(import.meta.dirname, '..');
const file = resolve(root, 'dist/embed.js');
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} kB`;

console.log(`dist/embed.js  ${kb(source.length)} raw, ${kb(gzip)} gzip (budget ${kb(EMBED_BUDGET_GZIP_BYTES)} gzip)`);

if (process.argv.includes('--check')) {
  if (gzip > EMBED_BUDGET_GZIP_BYTES) {
    console.error(`size budget: FAIL, dist/embed.js is ${kb(gzip - EMBED_BUDGET_GZIP_BYTES)} over ${kb(EMBED_BUDGET_GZIP_BYTES)} gzip`);
    process.exit(1);
  }
  console.log(`size budget: OK, ${kb(EMBED_BUDGET_GZIP_BYTES - gzip)} to spare`);
}
