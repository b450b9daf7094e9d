// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { packagesMissingAtRunTime } from '../../../scripts/build-server';

describe("the server bundle's run-time imports", () => {
  it('names each package a production install would lack, once, by its package name', () => {
    const imports = ['fastify', 'node:fs', 'crypto', 'pg', 'esbuild', '@seriousme/openapi-schema-validator/lib/x.js', 'esbuild/lib/main.js'];
    expect(packagesMissingAtRunTime(imports, ['fastify', 'pg'])).toEqual(['@seriousme/openapi-schema-validator', 'esbuild']);
  });

  it('accepts dependencies, their subpaths and Node built-ins with or without node:', () => {
    expect(packagesMissingAtRunTime(['zod', 'zod/v4/core', '@scope/dep/sub', 'fs', 'node:path'], ['zod', '@scope/dep'])).toEqual([]);
  });
});
