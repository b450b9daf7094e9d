import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * `npm run bench`: every benchmark under bench/ (each folder's run.ts), one after another,
 * then the size report. `npm run bench -- collector bridge-latency` runs only those.
 * Each prints its own figures and budget lines; this exits non-zero if any of them failed
 * to run.
 */
const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const suites = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(resolve(here, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const failed: string[] = [];
for (const name of suites) {
  console.log(`\n=== bench/${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(here, name, 'run.ts')], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
console.log('\n=== embed script size');
spawnSync(process.execPath, ['--import', 'tsx', resolve(here, 'size.ts')], { stdio: 'inherit' });

if (failed.length > 0) {
  console.error(`\nbenchmarks that did not run to the end: ${failed.join(', ')}`);
  process.exit(1);
}
