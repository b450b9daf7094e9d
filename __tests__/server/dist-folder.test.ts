import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FOLDER, distFolder } from '../../server/static/dist-folder';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dist-folder-'));
  await writeFile(join(root, 'package.json'), '{"type":"module"}');
  await mkdir(join(root, 'server', 'static'), { recursive: true });
  await mkdir(join(root, 'dist', 'server'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the server's dist folder", () => {
  it('is the same from source, from the bundled entries and from a chunk below them', () => {
    expect(distFolder(join(root, 'server', 'static'))).toBe(join(root, 'dist'));
    expect(distFolder(join(root, 'dist', 'server'))).toBe(join(root, 'dist'));
    expect(distFolder(join(root, 'dist', 'server', 'chunks'))).toBe(join(root, 'dist'));
  });

  it("is this repository's dist when running from source", () => {
    expect(DIST_FOLDER).toBe(join(import.meta.dirname, '..', '..', 'dist'));
  });
});
