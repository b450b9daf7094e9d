import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardApp } from '../dashboard/DashboardApp';
import './dashboard.css';
// The editor's preview renders the chat widget's own components: their styles, scoped to `.fw-app`.
import '../chat-widget/widget.css';

/**
 * The dashboard's entry, served by the collector at `/dashboard/`: the API is on the same
 * origin, so the page needs no configuration and its CSP can stay at `'self'`.
 */
function start(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('dashboard.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <DashboardApp />
    </StrictMode>,
  );
}

start();
