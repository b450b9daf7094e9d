import { useEffect, useState, useSyncExternalStore } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { WIDGET_EVENTS } from '../../../lib/chat-widget/tracker';
import type { Tracker } from '../../../lib/chat-widget/tracker';
import { createWidgetConfigLoader } from '../../../lib/chat-widget/widget-config';
import type { ConfigStorage, LoadedContent, WidgetConfigLoader, WidgetConfigLoaderConfig } from '../../../lib/chat-widget/widget-config';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetConfig } from '../../../lib/protocol/widget-document';

export interface UseWidgetConfigOptions {
  widgetId: string;
  collectorUrl: string | null;
  /** The host's storage; `null` until the services exist. */
  storage: ConfigStorage | null;
  tracker: Tracker | null;
  bridge: Pick<BridgeClient, 'call'> | null;
  /** Loader settings and collaborators (tests pass `fetch` and `now`). */
  loader?: WidgetConfigLoaderConfig & { fetch?: typeof fetch; now?: () => number };
}

export interface WidgetConfigState extends LoadedContent {
  /** Asks the collector again if the last answer is older than its `max-age` (the panel opens). */
  revalidateIfStale(): void;
}

const LOADING: LoadedContent = Object.freeze({ content: DEFAULT_WIDGET_CONTENT, source: 'default', revision: null, settled: false });
const noLoader = {
  subscribe: () => () => undefined,
  getSnapshot: () => LOADING,
};

/** Passes a config's theme to the host page; an old embed script does not know the method. */
function setAppearance(bridge: Pick<BridgeClient, 'call'> | null, config: WidgetConfig): void {
  if (!bridge) return;
  const { accentColor, position, launcherLabel } = config.content.theme;
  bridge.call('setAppearance', { accentColor, position, launcherLabel }).catch(() => undefined);
}

/**
 * The widget's content: the built-in defaults, then the cached config, then the
 * collector's. The loader is made after mount and destroyed on unmount.
 */
export function useWidgetConfig(options: UseWidgetConfigOptions): WidgetConfigState {
  const { widgetId, collectorUrl, storage, tracker, bridge, loader: settings } = options;
  const [loader, setLoader] = useState<WidgetConfigLoader | null>(null);
  useEffect(() => {
    if (!storage) return;
    const created = createWidgetConfigLoader({
      ...settings,
      widgetId,
      collectorUrl,
      storage,
      onApply: (config) => setAppearance(bridge, config),
      // Where the problems are, never the content itself.
      onInvalid: (report) => tracker?.event(WIDGET_EVENTS.error, { where: 'config', source: report.source, paths: report.paths }, 'config'),
    });
    // The loader reads storage and fetches, so it is made here, where cleanup is guaranteed.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setLoader(created);
    return () => {
      created.destroy();
      setLoader(null);
    };
    // `settings` is read once per loader: a new object each render must not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [widgetId, collectorUrl, storage, tracker, bridge]);
  const source = loader ?? noLoader;
  const loaded = useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
  return { ...loaded, revalidateIfStale: () => loader?.revalidateIfStale() };
}
