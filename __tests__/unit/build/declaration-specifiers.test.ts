// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteDeclaration } from '../../../scripts/declaration-specifiers';

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'declarations-'));
  mkdirSync(join(dir, 'folder'));
  mkdirSync(join(dir, 'both'));
  for (const name of ['entry.d.ts', 'file.d.ts', 'folder/index.d.ts', 'both.d.ts', 'both/index.d.ts']) writeFileSync(join(dir, name), 'export {};');
  file = join(dir, 'entry.d.ts');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('declaration specifiers for node16 and nodenext', () => {
  it('gives a file its .js and a folder its /index.js, in imports, re-exports and import() types', () => {
    const source = [
      "import type { A } from './file';",
      'export * from "./folder";',
      "export { b } from './folder/';",
      'type C = import("./file").C;',
      "import './file';",
    ].join('\n');
    expect(rewriteDeclaration(file, source)).toBe(
      [
        "import type { A } from './file.js';",
        'export * from "./folder/index.js";',
        "export { b } from './folder/index.js';",
        'type C = import("./file.js").C;',
        "import './file.js';",
      ].join('\n'),
    );
  });

  it('prefers the file over the folder of the same name, as the bundler resolution tsc compiled with does', () => {
    expect(rewriteDeclaration(file, "export * from './both';")).toBe("export * from './both.js';");
  });

  it('leaves packages and specifiers with an extension alone', () => {
    const source = "import type { z } from 'zod';\nexport { x } from './file.js';\nimport type * as R from 'react/jsx-runtime';";
    expect(rewriteDeclaration(file, source)).toBe(source);
  });

  it('fails, naming the file and the specifier, when nothing was emitted for it', () => {
    expect(() => rewriteDeclaration(file, "export * from './gone';")).toThrow(`${file}: no declaration for "./gone"`);
  });
});
