import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const CONFIG = resolve(ROOT, 'eslint.config.js');

/** The rule messages, read from the config itself so the test follows its wording. */
let messages: Record<string, string>;
let eslint: ESLint;

beforeAll(async () => {
  const config = (await import(pathToFileURL(CONFIG).href)) as { BOUNDARY_MESSAGES: Record<string, string> };
  messages = config.BOUNDARY_MESSAGES;
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: CONFIG });
});

/** The `no-restricted-imports` messages ESLint reports for `code` placed at `file`. */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import boundaries of docs/ARCHITECTURE.md', () => {
  test.each([
    ['components/x.tsx', "import type { AnalyticsReader } from '../server/analytics/types';", 'componentsToServer'],
    ['components/dashboard/api/x.ts', "export { startCollector } from '../../../server/index';", 'componentsToServer'],
    ['lib/util/x.ts', "import { ChatWidget } from '../../components/ChatWidget/ChatWidget';", 'libToApp'],
    ['lib/protocol/x.ts', "import type { EventRow } from '../../server/store/types';", 'libToApp'],
    ['server/routes/x.ts', "import { ChatWidget } from '../../components/ChatWidget/ChatWidget';", 'serverToDom'],
    ['server/routes/x.ts', "import { useState } from 'react';", 'serverToReact'],
    ['bench/collector/x.ts', "import { freePort } from '../../__tests__/server/support/http';", 'benchToTests'],
    ['bench/x.ts', "import { stage } from '../__tests__/e2e/support/stage';", 'benchToTests'],
  ])('%s refuses %s', async (file, code, rule) => {
    const source = /'([^']+)';$/.exec(code)?.[1];
    expect(await restrictedImports(file, code)).toEqual([`'${source}' import is restricted from being used by a pattern. ${messages[rule]}`]);
  });

  test.each([
    ['components/dashboard/x.tsx', "import type { TopEvents } from '../../lib/protocol/analytics-api';"],
    ['components/x.tsx', "import { renderToString } from 'react-dom/server';"],
    ['lib/chat-widget/x.ts', "import { FramewireError } from '../protocol/errors';"],
    ['server/routes/x.ts', "import type { TopEvents } from '../../lib/protocol/analytics-api';"],
    ['bench/collector/x.ts', "import { startPgCluster } from '../../__tests__/support/pg-cluster';"],
  ])('%s allows %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
