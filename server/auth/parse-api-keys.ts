import type { z } from 'zod';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { apiKeyGrantsSchema } from './api-key-grant';
import type { ApiKeyGrant } from './api-key-grant';

// Messages never quote a key: they end up in logs and terminals.
function fail(message: string, cause?: unknown): never {
  throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_CONFIG, message, cause === undefined ? {} : { cause });
}

function describe(error: z.ZodError, entry: (index: number) => string): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'is invalid';
  const [index, field, ...rest] = issue.path;
  if (typeof index !== 'number') return issue.message;
  const where = [field, ...rest].map(String).join('.');
  return `${entry(index)}: ${where === '' ? '' : `${where} `}${issue.message}`;
}

/**
 * Reads the compact list format of `FRAMEWIRE_API_KEYS`:
 * `key1=owner1:widgetA,widgetB;key2=owner2:*`. Entries are separated by `;`, spaces around
 * parts are ignored, an empty entry (a trailing `;`) is skipped.
 * @throws CollectorError `INVALID_CONFIG` naming the entry (1-based) and what is wrong, never the key.
 */
export function parseApiKeyList(text: string): ApiKeyGrant[] {
  const entries = text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const raw = entries.map((entry, index) => {
    const match = /^([^=]*)=([^:]*):(.*)$/.exec(entry);
    if (match === null) fail(`entry ${index + 1} must look like key=owner:widgetA,widgetB or key=owner:*`);
    const [, key = '', owner = '', widgets = ''] = match;
    const list = widgets.split(',').map((id) => id.trim()).filter((id) => id !== '');
    return { key: key.trim(), owner: owner.trim(), widgets: list };
  });
  const parsed = apiKeyGrantsSchema.safeParse(raw);
  if (!parsed.success) fail(describe(parsed.error, (index) => `entry ${index + 1}`));
  return parsed.data;
}

/**
 * Reads the JSON format of `FRAMEWIRE_API_KEYS_FILE`:
 * `[{ "key": "…", "owner": "…", "widgets": ["…"] | "*" }]`.
 * @throws CollectorError `INVALID_CONFIG` naming the entry (0-based, as in the file) and field.
 */
export function parseApiKeyJson(text: string): ApiKeyGrant[] {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    fail('is not valid JSON', error);
  }
  if (!Array.isArray(value)) fail('must be a JSON array of { "key", "owner", "widgets" } objects');
  const parsed = apiKeyGrantsSchema.safeParse(value);
  if (!parsed.success) fail(describe(parsed.error, (index) => `[${index}]`));
  return parsed.data;
}
