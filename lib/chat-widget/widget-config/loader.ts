import { WIDGET_CONFIG_KEY } from '../../protocol/limits';
import { DEFAULT_WIDGET_CONTENT } from '../../protocol/widget-document';
import type { WidgetConfig, WidgetContent } from '../../protocol/widget-document';
import { createLogger } from '../../util/logger';
import type { Logger } from '../../util/logger';
import { normalizeSettings } from '../../util/normalize-options';
import { DEFAULT_WIDGET_CONFIG_LOADER_CONFIG } from './config';
import type { ConfigSource, InvalidConfigReport, WidgetConfigLoaderConfig, WidgetConfigLoaderOptions } from './config';
import { configUrl, requestConfig } from './request';
import type { ConfigResponse } from './request';
import { checkConfig, parseStoredConfig, serializeStoredConfig } from './stored-config';

/** The content on screen and where it came from. */
export interface LoadedContent {
  readonly content: WidgetContent;
  readonly source: ConfigSource;
  /** The config's revision; `null` for the built-in defaults. */
  readonly revision: number | null;
  /**
   * False until the first decision: a cached config shown, or the collector answered (or
   * could not be reached), or there is nothing to ask. Until then the widget shows neither
   * the defaults nor anything else of the content, so a customer's page never flashes the
   * built-in survey.
   */
  readonly settled: boolean;
}

export interface WidgetConfigLoader {
  /** The content to render now (the built-in defaults until a config is applied; see `settled`). */
  getSnapshot(): LoadedContent;
  /** Called after each change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Asks the collector again, unless a request is out; resolves when it has settled (never rejects). */
  revalidate(): Promise<void>;
  /** {@link revalidate}, when the last answer is older than `maxAgeMs` (the panel opens). */
  revalidateIfStale(): void;
  /** Aborts the request, drops the listeners; nothing is applied after it. */
  destroy(): void;
}

const LOADING: LoadedContent = Object.freeze({ content: DEFAULT_WIDGET_CONTENT, source: 'default', revision: null, settled: false });
const DEFAULTS: LoadedContent = Object.freeze({ ...LOADING, settled: true });

/**
 * Loads the widget's content, starting at once:
 * 1. Reads the last good config from the host's storage (`widget_config`) and shows it at
 *    once: a reload while the collector is down shows the last content.
 * 2. Asks the collector (`GET <collectorUrl>/api/widgets/:widgetId/config`, with
 *    `If-None-Match` once a cached copy is known, or after `cacheWaitMs` without it).
 *    200 → shown and kept in the host's storage, sent at once; 304 → kept; 404 → the
 *    widget is not registered: the built-in defaults, the cached copy removed; no answer,
 *    deadline or 5xx → what is shown stays.
 * 3. A config that fails the schema (cached or fetched) is ignored and reported to
 *    `onInvalid`: the widget never goes blank. Without `collectorUrl` nothing is fetched.
 */
export function createWidgetConfigLoader(options: WidgetConfigLoaderOptions): WidgetConfigLoader {
  const settings = normalizeSettings<Required<WidgetConfigLoaderConfig>>(DEFAULT_WIDGET_CONFIG_LOADER_CONFIG, options);
  const { widgetId, collectorUrl, storage } = options;
  const now = options.now ?? (() => Date.now());
  const fetchConfig = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const log: Logger = createLogger('WidgetConfigLoader', settings.debug);
  const destroyed = new AbortController();
  const listeners = new Set<() => void>();
  let snapshot = LOADING;
  let etag: string | null = null;
  // Once the collector has said what to show, a cached copy read later must not replace it.
  let collectorDecided = false;
  let lastAnswerAt: number | null = null;
  let inflight: Promise<void> | null = null;

  const show = (next: LoadedContent): void => {
    snapshot = next;
    for (const listener of [...listeners]) listener();
  };

  const apply = (config: WidgetConfig, source: 'cache' | 'collector', configEtag: string): void => {
    etag = configEtag;
    log(`Showing revision ${config.revision} from the ${source}.`);
    show({ content: config.content, source, revision: config.revision, settled: true });
    options.onApply?.(config);
  };

  const reportInvalid = (report: InvalidConfigReport): void => {
    log(`Ignored an invalid config from the ${report.source}:`, report.paths);
    options.onInvalid?.(report);
  };

  /** Writes without letting a refused write (basic adapter) become an unhandled rejection. */
  const quietly = (write: () => Promise<void> | void, what: string): void => {
    try {
      Promise.resolve(write()).catch((error: unknown) => log(`Could not ${what}.`, error));
    } catch (error) {
      log(`Could not ${what}.`, error);
    }
  };

  const keep = (config: WidgetConfig, configEtag: string): void => {
    const text = serializeStoredConfig({ etag: configEtag, config });
    if (text === null) {
      log('The config is over its storage budget: not kept.');
      return;
    }
    quietly(() => storage.setItem(WIDGET_CONFIG_KEY, text), 'keep the config');
    // The last good config is what a reload shows while the collector is down: sent now, not after a debounce.
    storage.flush?.();
  };

  const onResponse = (response: ConfigResponse): void => {
    if (response.kind === 'unavailable') {
      log(`No answer from the collector (${response.detail}): what is shown stays.`);
      return;
    }
    lastAnswerAt = now();
    if (response.kind === 'not-modified') return;
    if (response.kind === 'unregistered') {
      log('The widget is not registered: built-in defaults.');
      collectorDecided = true;
      etag = null;
      show(DEFAULTS);
      quietly(() => storage.removeItem(WIDGET_CONFIG_KEY), 'remove the cached config');
      return;
    }
    const checked = checkConfig(response.body, widgetId);
    if (!checked.ok) {
      reportInvalid({ source: 'collector', paths: checked.paths });
      return;
    }
    collectorDecided = true;
    // An unconditional request (see `ask`) may bring back what is shown: nothing to write.
    if (snapshot.source !== 'default' && snapshot.revision === checked.config.revision) return;
    const configEtag = response.etag ?? `"${checked.config.revision}"`;
    apply(checked.config, 'collector', configEtag);
    keep(checked.config, configEtag);
  };

  const revalidate = (): Promise<void> => {
    if (collectorUrl === null || destroyed.signal.aborted) return Promise.resolve();
    if (inflight) return inflight;
    const ask = (conditional: string | null): Promise<ConfigResponse> =>
      requestConfig({ url: configUrl(collectorUrl, widgetId), etag: conditional, timeoutMs: settings.requestTimeoutMs, signal: destroyed.signal, fetch: fetchConfig });
    const request = ask(etag)
      .then((response) =>
        // `If-None-Match` makes the request need a CORS preflight; a collector that refuses it
        // looks like a network error. Asking once more without it (a simple request) keeps
        // the content current there too, at the cost of a whole body.
        response.kind === 'unavailable' && response.reason === 'network' && etag !== null && !destroyed.signal.aborted ? ask(null) : response,
      )
      .then((response) => {
        inflight = null;
        if (!destroyed.signal.aborted) onResponse(response);
      });
    inflight = request;
    return request;
  };

  const onCached = (text: string | null): void => {
    if (destroyed.signal.aborted || collectorDecided) return;
    const stored = parseStoredConfig(text, widgetId);
    if (stored === null) return;
    if (stored.ok) apply(stored.config, 'cache', stored.etag);
    else reportInvalid({ source: 'cache', paths: stored.paths });
  };

  const start = async (): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cached = Promise.resolve()
      .then(() => storage.getItem(WIDGET_CONFIG_KEY))
      .then(onCached, (error: unknown) => log('Could not read the cached config.', error));
    // A host that is slow to answer must not hold the collector's answer back for long.
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, settings.cacheWaitMs);
      destroyed.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([cached, waited]);
    clearTimeout(timer);
    await revalidate();
    if (!snapshot.settled && !destroyed.signal.aborted) show(DEFAULTS);
  };

  void start();

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    revalidate,
    revalidateIfStale() {
      if (lastAnswerAt !== null && now() - lastAnswerAt < settings.maxAgeMs) return;
      void revalidate();
    },
    destroy() {
      destroyed.abort();
      listeners.clear();
    },
  };
}
