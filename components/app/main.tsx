import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridgeClient } from '../../lib/chat-widget/bridge-client';
import type { BridgeClient } from '../../lib/chat-widget/bridge-client';
import { resolveHostOrigin } from '../../lib/chat-widget/host-origin';
import { ParentStorageAdapter } from '../../lib/chat-widget/parent-storage';
import { WIDGET_ID_PATTERN } from '../../lib/protocol/limits';
import { createChatServices } from '../../lib/chat-widget/chat-services';
import { readCollectorUrl } from '../../lib/chat-widget/widget-config';
import { ChatWidget } from '../chat-widget/ChatWidget';
import '../chat-widget/widget.css';
import './styles.css';

/**
 * The widget app's entry. URL parameters (set by the embed script):
 * `widgetId` (default `demo`), `host` (the host origin, checked against the referrer where
 * the browser has no `ancestorOrigins`), `collectorUrl` (where the widget's config comes
 * from; absent: the cached or built-in content), `debug=1`.
 * Opened directly (no parent window) it runs standalone on sessionStorage.
 * The demo runs the enhanced path: a connection monitor and the enhanced storage adapter.
 */
function start(): void {
  const params = new URLSearchParams(location.search);
  const requestedId = params.get('widgetId') ?? 'demo';
  const widgetId = WIDGET_ID_PATTERN.test(requestedId) ? requestedId : 'demo';
  const debug = params.get('debug') === '1';
  const collectorUrl = readCollectorUrl(params);
  const embedded = window.parent !== window;
  const hostOrigin = embedded ? resolveHostOrigin(window) : null;
  if (embedded && hostOrigin === null) {
    console.error('[framewire] Cannot tell the host page origin; running standalone.');
  }

  const bridge: BridgeClient | null = hostOrigin === null ? null : createBridgeClient({ widgetId, hostOrigin, debug });
  const services = createChatServices({ bridge, widgetId, useEnhancedStorage: true, debug });
  if (debug) {
    // A documented debug handle (docs/PROTOCOL.md), for inspecting the bridge from the console.
    // `basicStorage` reads the host through the plain adapter: no cache between the call and the host.
    const basicStorage = bridge && new ParentStorageAdapter({ widgetId, bridge });
    Object.assign(window, {
      framewireWidget: { bridge, storage: services.storage, basicStorage, monitor: services.monitor, outbox: services.outbox, widgetId },
    });
  }

  const root = document.getElementById('root');
  if (!root) throw new Error('widget.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <ChatWidget bridge={bridge} widgetId={widgetId} useEnhancedStorage services={services} collectorUrl={collectorUrl} debug={debug} />
    </StrictMode>,
  );
}

start();
