import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Relative module specifiers in import/export declarations, `import("…")` types and bare
 * `import "…"` lines of a declaration file. Group 1 is what precedes the quote, 2 the quote,
 * 3 the specifier.
 */
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

/** Extensions a specifier may already carry: those are left alone. */
const HAS_EXTENSION = /\.(js|mjs|cjs|json)$/;

/**
 * The specifier Node's ESM resolution (node16, nodenext) needs for `specifier` written in
 * `fromFile`: `./x` becomes `./x.js` when `x.d.ts` was emitted, `./x/index.js` when
 * `x/index.d.ts` was (the file wins, as it does for the bundler resolution tsc compiled with).
 * @throws Error when neither was emitted: the declarations would not resolve anywhere.
 */
export function resolvedSpecifier(fromFile: string, specifier: string): string {
  if (HAS_EXTENSION.test(specifier)) return specifier;
  const target = resolve(dirname(fromFile), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${fromFile}: no declaration for "${specifier}"`);
}

/** `source` (the text of the declaration file `file`) with every relative specifier resolved. */
export function rewriteDeclaration(file: string, source: string): string {
  return source.replace(RELATIVE_SPECIFIER, (_match, before: string, quote: string, specifier: string) => {
    return `${before}${quote}${resolvedSpecifier(file, specifier)}${quote}`;
  });
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Gives the declarations tsc emitted under `dir` the specifiers Node's ESM resolution needs.
 *
 * The sources import extensionless (`moduleResolution: bundler`), and tsc copies specifiers into
 * `.d.ts` files as written, so a TypeScript user on `node16`/`nodenext` could not follow them
 * ("internal resolution error"). Rewriting them after the emit keeps one `.d.ts` per source file
 * (go-to-definition lands in the right file) and needs no declaration bundler; `.js` specifiers
 * resolve in `bundler` mode too. Returns how many files changed.
 */
export function rewriteDeclarations(dir: string): number {
  let changed = 0;
  for (const file of declarationFiles(dir)) {
    const source = readFileSync(file, 'utf8');
    const rewritten = rewriteDeclaration(file, source);
    if (rewritten === source) continue;
    writeFileSync(file, rewritten);
    changed += 1;
  }
  return changed;
}

/**
 * `build:lib`'s declarations: `dist/types/` emptied (a deleted source leaves no stale `.d.ts`
 * behind), `tsc -p tsconfig.lib.json`, then {@link rewriteDeclarations}.
 */
function main(): number {
  const root = resolve(import.meta.dirname, '..');
  const dir = join(root, 'dist', 'types');
  rmSync(dir, { recursive: true, force: true });
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.lib.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) return 1;
  try {
    const changed = rewriteDeclarations(dir);
    console.log(`declarations: relative specifiers resolved in ${changed} files under dist/types`);
    return 0;
  } catch (error) {
    console.error(`declarations: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main());
