import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
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
 * Builds the collector as plain JavaScript: `node dist/server/main.js` runs it with no
 * TypeScript tooling.
 *
 * 1. Each entry of {@link SERVER_ENTRIES} and everything it imports relatively (`server/`,
 *    `lib/protocol/`) bundled into ESM for Node 20, code shared by the entries in a chunk
 *    beside them; source maps linked (`node --enable-source-maps`).
 * 2. npm packages stay imports, loaded from `node_modules` at run time (better-sqlite3 is
 *    native; the others are installed by `npm ci --omit=dev` anyway).
 * 3. Every such import must be a `dependencies` entry of `package.json`: a devDependency
 *    would be missing in a production install, so the build fails naming it.
 */
export async function buildServer(options: BuildServerOptions = {}): Promise<string> {
  const outDir = resolve(ROOT, options.outDir ?? 'dist/server');
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
  const runtime = new Set([...Object.keys(manifest.dependencies ?? {}), ...builtinModules]);
  const missing = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const name = packageName(imported.path);
      if (!runtime.has(name)) missing.add(name);
    }
  }
  if (missing.size > 0) {
    throw new Error(`the server imports ${[...missing].join(', ')}, not in package.json "dependencies": a production install would lack it`);
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
