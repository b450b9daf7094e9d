import { ErrorCode, FramewireError } from '../protocol/errors';
import { createLogger } from '../util/logger';
import { resolveEmbedConfig } from './config';
import type { ResolvedEmbedConfig } from './config';
import { createWidgetFrame } from './dom';
import { createHostApi } from './host-api';
import { createHostBridge } from './host-bridge';
import { createNamespacedStorage } from './namespaced-storage';
import { createAnalyticsQueue, createClickQueue } from './click-queue';
import { createConsentGate, parseConsent } from './consent';
import { createDeliveryHealth } from './queue/delivery-health';
import { identify, storedUserId, visitorId } from './identify';
import { createTrack } from './track';

/** One widget mounted on a host page. */
export interface Embed {
  readonly config: ResolvedEmbedConfig;
  open(): void;
  close(): void;
  isOpen(): boolean;
  /**
   * Links the visitor to the page's user id (`null` forgets it); with traits, also queues
   * an `identify` analytics event. See `identify`.
   * @throws FramewireError `INVALID_CONFIG` for invalid arguments (nothing changes then).
   */
  identify(userId: unknown, traits?: unknown): void;
  /**
   * The visitor's decision on analytics (`{ analytics: true | false }`), from the page's
   * consent manager: `true` sends held and new events, `false` drops held, stored and new
   * ones. Kept for this page view only. See `createConsentGate` and docs/PRIVACY.md.
   * @throws FramewireError `INVALID_CONFIG` for anything else (nothing changes then).
   */
  consent(choice: unknown): void;
  /**
   * Removes the iframe and the launcher, the listener and the port, and stops the event
   * queues (their timers, listeners and requests); events not yet confirmed stay stored
   * for the next page.
   */
  destroy(): void;
}

/**
 * Mounts a widget: validates the config, opens the widget's storage namespace, starts the
 * bridge and only then puts the iframe into the page, so the widget's first handshake
 * cannot arrive before the host listens. `consent` is the analytics decision the page made before
 * `init` (it applies before any queue starts).
 */
export function createEmbed(input: unknown, win: Window = window, consent?: boolean): Embed {
  const resolved = resolveEmbedConfig(input);
  if (!resolved.ok) throw new FramewireError(ErrorCode.INVALID_CONFIG, resolved.error);
  const { config } = resolved;
  const widgetOrigin = new URL(config.widgetUrl).origin;
  // A sandboxed iframe with allow-scripts and allow-same-origin on the host's own origin
  // could lift its own sandbox and reach into the page: the widget must live elsewhere.
  if (widgetOrigin === win.location.origin) {
    throw new FramewireError(ErrorCode.INVALID_CONFIG, 'Invalid framewire config: widgetUrl must be on another origin.');
  }
  const log = createLogger('FramewireEmbed', config.debug);

  const storage = createNamespacedStorage({ widgetId: config.widgetId });
  if (!storage.persistent) log('No localStorage: in memory only.');
  visitorId(storage);

  // The queues start with the page, not with the widget: events a previous page left
  // behind are sent even if the widget never connects. Unless the page asks for consent
  // first, or the browser's Global Privacy Control says no (read once, here): then they
  // start with `consent({ analytics: true })`. Both queues count into one set of delivery
  // counters; the analytics queue reports them.
  const queueDeps = { window: win, log: createLogger('EventQueue', config.debug), health: createDeliveryHealth() };
  const queueOptions = { ...config.queue, collectorUrl: config.collectorUrl ?? '', widgetId: config.widgetId };
  const gpc = (win.navigator as Navigator & { globalPrivacyControl?: unknown }).globalPrivacyControl === true;
  const queues = config.collectorUrl
    ? createConsentGate(
        () => ({
          clicks: createClickQueue(queueOptions, queueDeps),
          analytics: createAnalyticsQueue(queueOptions, { ...queueDeps, reports: true }),
        }),
        consent ?? (config.consentRequired || gpc ? undefined : true),
        () => win.localStorage,
      )
    : null;

  const track = createTrack(queues, win, () => storedUserId(storage));
  const frame = createWidgetFrame(win.document, config, win.location.origin);
  const bridge = createHostBridge({
    window: win,
    iframe: frame.iframe,
    widgetOrigin,
    widgetId: config.widgetId,
    api: createHostApi(storage, track, frame.setAppearance, frame.setUnread),
    log,
  });
  frame.attach();

  let destroyed = false;
  return {
    config,
    open: () => frame.open(),
    close: () => frame.close(),
    isOpen: () => frame.isOpen(),
    identify: (userId, traits) => identify(storage, track, log, userId, traits),
    consent(choice) {
      const analytics = parseConsent(choice);
      queues?.decide(analytics);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      bridge.destroy();
      frame.destroy();
      queues?.destroy();
    },
  };
}
