import { storageLength, WIDGET_STORAGE_BUDGETS } from '../../protocol/limits';
import { WidgetConfigSchema } from '../../protocol/widget-document';
import type { WidgetConfig } from '../../protocol/widget-document';

/** The last good config as kept in the host's storage (`widget_config`). */
export interface StoredConfig {
  /** The collector's `ETag` for it: sent back as `If-None-Match`. */
  etag: string;
  config: WidgetConfig;
}

/** Why a stored or fetched config was refused: the paths of its problems (never its content). */
export type ConfigCheck = { ok: true; config: WidgetConfig } | { ok: false; paths: string[] };

const MAX_REPORTED_PATHS = 10;

/** Checks a config against the contract and against the widget it is meant for. */
export function checkConfig(value: unknown, widgetId: string): ConfigCheck {
  const parsed = WidgetConfigSchema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)');
    return { ok: false, paths: [...new Set(paths)].slice(0, MAX_REPORTED_PATHS) };
  }
  if (parsed.data.widgetId !== widgetId) return { ok: false, paths: ['widgetId'] };
  return { ok: true, config: parsed.data };
}

/**
 * Reads the stored text: `null` when there is none, `{ ok: false }` when it is not a valid
 * config for this widget (not JSON, wrong shape, another widget's).
 */
export function parseStoredConfig(text: string | null, widgetId: string): ({ etag: string } & ConfigCheck) | null {
  if (text === null) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return { etag: '', ok: false, paths: ['(not JSON)'] };
  }
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const etag = typeof record.etag === 'string' ? record.etag : '';
  const checked = checkConfig(record.config, widgetId);
  if (checked.ok && etag === '') return { etag, ok: false, paths: ['etag'] };
  return { etag, ...checked };
}

/** The text to keep in the host's storage; `null` if it would be over its budget (then nothing is kept). */
export function serializeStoredConfig(stored: StoredConfig): string | null {
  const text = JSON.stringify(stored);
  return storageLength(text) <= WIDGET_STORAGE_BUDGETS.config ? text : null;
}
