import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

/** Runs `command`, its output shown as it comes; false when it fails. */
function run(command: string, args: string[]): boolean {
  console.log(`$ ${[command.replace(`${ROOT}/`, ''), ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0;
}

/**
 * `npm run test:package`: the package as npm would publish it, checked the way its users
 * meet it. Runs after `npm run build`.
 *
 * 1. `npm pack` into a temporary folder (what `files` and `exports` really ship).
 * 2. `publint --strict`: `package.json` fields against the packed files.
 * 3. `attw --profile esm-only`: every entry's types resolve under node16/nodenext (from ESM) and
 *    bundler; CommonJS `require` is not supported (ESM only), node10 resolution neither. Works
 *    offline: a local tarball, no DefinitelyTyped look-up.
 */
function main(): number {
  for (const built of ['dist/lib/framewire.js', 'dist/types/lib/index.d.ts']) {
    if (!existsSync(join(ROOT, built))) {
      console.error(`test:package: ${built} is missing: run \`npm run build\` first`);
      return 1;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'framewire-pack-'));
  try {
    const pack = spawnSync('npm', ['pack', '--pack-destination', dir, '--json', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (pack.status !== 0) {
      console.error(`test:package: npm pack failed:\n${pack.stderr}`);
      return 1;
    }
    const [packed] = JSON.parse(pack.stdout) as { filename: string }[];
    if (packed === undefined) throw new Error('npm pack named no tarball');
    const tarball = join(dir, packed.filename);
    const publint = run(bin('publint'), [tarball, '--strict']);
    const attw = run(bin('attw'), [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'table-flipped']);
    return publint && attw ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exit(main());
