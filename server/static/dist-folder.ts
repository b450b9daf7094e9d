import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's `dist/` folder, seen from the module folder `from`: the nearest folder
 * upwards holding a `package.json`, plus `dist`.
 *
 * The same code runs from source (`server/<folder>/*.ts` under tsx) and bundled
 * (`dist/server/*.js`, shared code in a chunk beside the entries), so a path fixed relative to
 * one file would be right in one layout only; the package root is the same in both (and in a
 * deployment that copies `dist/` and `package.json`). Without a `package.json` upwards: `dist`
 * two levels up, the source layout.
 */
export function distFolder(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist');
    if (dirname(dir) === dir) return join(from, '..', '..', 'dist');
  }
}

/** This package's `dist/`: where `npm run build` writes the dashboard, the widget app and `embed.js`. */
export const DIST_FOLDER = distFolder(import.meta.dirname);
