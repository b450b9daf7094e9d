import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridgeClient } from '../../lib/chat-widget/bridge-client';
import type { BridgeClient } from '../../lib/chat-widget/bridge-client';
import { resolveHostOrigin } from '../../lib/chat-widget/host-origin';
import { ParentStorageAdapter } from '../../lib/chat-widget/parent-storage';
import { WIDGET_ID_PATTERN } from '../../lib/protocol/limits';
import { WidgetApp } from '../WidgetApp/WidgetApp';
import './styles.css';

/**
 * The widget app's entry. URL parameters (set by the embed script):
 * `widgetId` (default `demo`), `host` (the host origin, checked against the referrer where
 * the browser has no `ancestorOrigins`), `debug=1`.
 * Opened directly (no parent window) it runs standalone on sessionStorage.
 */
function start(): void {
  const params = new URLSearchParams(location.search);
  const requestedId = params.get('widgetId') ?? 'demo';
  const widgetId = WIDGET_ID_PATTERN.test(requestedId) ? requestedId : 'demo';
  const debug = params.get('debug') === '1';
  const embedded = window.parent !== window;
  const hostOrigin = embedded ? resolveHostOrigin(window) : null;
  if (embedded && hostOrigin === null) {
    console.error('[framewire] Cannot tell the host page origin; running standalone.');
  }

  const bridge: BridgeClient | null = hostOrigin === null ? null : createBridgeClient({ widgetId, hostOrigin, debug });
  const storage = new ParentStorageAdapter({ widgetId, bridge });
  if (debug) {
    // A documented debug handle (docs/PROTOCOL.md), for inspecting the bridge from the console.
    Object.assign(window, { framewireWidget: { bridge, storage, widgetId } });
  }

  const root = document.getElementById('root');
  if (!root) throw new Error('widget.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <WidgetApp bridge={bridge} storage={storage} />
    </StrictMode>,
  );
}

start();
