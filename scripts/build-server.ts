import { builtinModules } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

/** The server's command-line entries: `dist/server/<name>.js`. */
export const SERVER_ENTRIES = Object.freeze({
  main: 'server/main.ts',
  'retention-main': 'server/retention-main.ts',
});

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  /**
   * Where the entries go. The server finds `dist/` by walking up to the nearest `package.json`
   * (see `server/static/dist-folder.ts`), so keep it at `<package>/dist/server`.
   * @default dist/server
   */
  outDir?: string;
}

/** The package name of a bare import (`pg`, `@scope/name`), from `pg/lib/x` or `@scope/name/x`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * The packages among the bundle's external `imports` that a production install would lack:
 * neither in `dependencies` nor a Node built-in (`node:fs`, `fs`). Sorted, each once.
 */
export function packagesMissingAtRunTime(imports: readonly string[], dependencies: readonly string[]): string[] {
  const runtime = new Set([...dependencies, ...builtinModules]);
  const missing = imports.filter((path) => !path.startsWith('node:')).map(packageName).filter((name) => !runtime.has(name));
  return [...new Set(missing)].sort();
}

/**
 * Builds the collector as plain JavaScript: `node dist/server/main.js` runs it with no
 * TypeScript tooling.
 *
 * 1. The output folder emptied, then each entry of {@link SERVER_ENTRIES} and everything it
 *    imports relatively (`server/`, `lib/protocol/`) bundled into ESM for Node 20, code shared
 *    by the entries in a chunk beside them; source maps linked (`node --enable-source-maps`).
 * 2. npm packages stay imports, loaded from `node_modules` at run time (better-sqlite3 is
 *    native; the others are installed by `npm ci --omit=dev` anyway).
 * 3. Every such import must be a `dependencies` entry of `package.json`: a devDependency
 *    would be missing in a production install, so the build fails naming it.
 */
export async function buildServer(options: BuildServerOptions = {}): Promise<string> {
  const outDir = resolve(ROOT, options.outDir ?? 'dist/server');
  // Chunk names carry a hash: without this, each build would leave the previous chunk behind.
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(SERVER_ENTRIES).map(([out, entry]) => ({ in: entry, out })),
    outdir: outDir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const external = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
  const missing = packagesMissingAtRunTime(external, Object.keys(manifest.dependencies ?? {}));
  if (missing.length > 0) {
    throw new Error(`the server imports ${missing.join(', ')}, not in package.json "dependencies": a production install would lack it`);
  }
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildServer().then(
    (outDir) => console.log(`server: built ${Object.keys(SERVER_ENTRIES).map((name) => `${name}.js`).join(', ')} in ${outDir}`),
    (error: unknown) => {
      console.error(`server build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
