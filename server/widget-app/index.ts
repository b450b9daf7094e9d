export { createWidgetApp, DEFAULT_EMBED_MAX_AGE_SECONDS, startWidgetApp, REGISTRY_RETRY_AFTER_SECONDS } from './widget-app';
export { frameAncestorsPolicy, NO_WIDGET_POLICY } from './frame-ancestors';
export type { RunningWidgetApp, WidgetAppOptions } from './widget-app';
