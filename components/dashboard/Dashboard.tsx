import { useCallback, useMemo, useState } from 'react';
import { ActiveSessionsPanel } from './ActiveSessionsPanel';
import { createAnalyticsClient, describeDashboardError, isCredentialError, isEmptyOverview, isKeyRefused, lastDays, loadOverview } from './api/index';
import type { DashboardCredentials, RangeDays } from './api/index';
import { DeliveryHealthSection } from './DeliveryHealthPanel';
import { DevicesPanel } from './DevicesPanel';
import { formatClock, formatRange } from './format';
import { usePolling } from './hooks/index';
import { ExportButton } from './ExportButton';
import { RangePicker } from './RangePicker';
import type { OfferLabels } from './offer-labels';
import { OffersPanel } from './OffersPanel';
import { EmptyState, ErrorPanel, LoadingPanel } from './StatusPanels';
import { SummaryCards } from './SummaryCards';
import { TopEvents } from './TopEvents';
import { TrafficSourcesPanel } from './TrafficSourcesPanel';
import { TrendsChart } from './TrendsChart';

/** How often each part of the page is reloaded (while the tab is visible). */
export const DASHBOARD_REFRESH = Object.freeze({
  /** Active sessions. @default 10000 */
  activeMs: 10_000,
  /** Everything else (summary, trends, events, devices, traffic, offers). @default 60000 */
  overviewMs: 60_000,
  /** The window of "active now", in minutes. @default 30 (the session timeout, and the most the read API allows) */
  activeWindowMinutes: 30,
});

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  credentials: DashboardCredentials;
  /** @default location.origin */
  baseUrl?: string;
  /** A load was refused for the key (401) or the widget (404): the caller signs out or goes back to the widget list. */
  onAccessError: (error: unknown) => void;
  /** The widget's offer and variant labels, for the offers panel. */
  offerLabels?: OfferLabels;
}

/** The analytics of one widget over the last 7, 30 or 90 days, refreshed live. */
export function Dashboard({ credentials, baseUrl, onAccessError, offerLabels }: DashboardProps) {
  const [days, setDays] = useState<RangeDays>(7);
  const client = useMemo(
    () => createAnalyticsClient({ ...credentials, ...(baseUrl === undefined ? {} : { baseUrl }) }),
    [credentials, baseUrl],
  );
  const onError = useCallback(
    (error: unknown) => {
      if (isCredentialError(error)) onAccessError(error);
    },
    [onAccessError],
  );

  // The range is worked out at each load, so a page left open past midnight (UTC) moves on.
  const overview = usePolling((signal) => loadOverview(client, lastDays(days, Date.now()), signal), {
    key: String(days),
    intervalMs: DASHBOARD_REFRESH.overviewMs,
    onError,
  });
  // Apart from the overview, and a 404 of it is not taken for an unknown widget (the overview
  // says that): a collector without the offers report still shows everything else.
  const onOffersError = useCallback(
    (error: unknown) => {
      if (isKeyRefused(error)) onAccessError(error);
    },
    [onAccessError],
  );
  const offers = usePolling((signal) => client.offers(lastDays(days, Date.now()), signal), {
    key: `offers:${days}`,
    intervalMs: DASHBOARD_REFRESH.overviewMs,
    onError: onOffersError,
  });
  const active = usePolling((signal) => client.active({ minutes: DASHBOARD_REFRESH.activeWindowMinutes }, signal), {
    key: 'active',
    intervalMs: DASHBOARD_REFRESH.activeMs,
    onError,
  });

  const data = overview.data;
  const refreshAll = (): void => {
    overview.refresh();
    offers.refresh();
    active.refresh();
  };

  let content;
  if (data === null) {
    content = overview.loading ? <LoadingPanel /> : null;
  } else if (isEmptyOverview(data)) {
    content = <EmptyState from={data.summary.from} to={data.summary.to} canWiden={days !== 90} />;
  } else {
    content = (
      <>
        <SummaryCards summary={data.summary} />
        <div className="fwd-grid fwd-grid--main">
          <TrendsChart trends={data.trends} />
          <ActiveSessionsPanel data={active.data} failed={active.error !== null} />
        </div>
        <div className="fwd-grid fwd-grid--lists">
          <TopEvents data={data.topEvents} />
          <DevicesPanel data={data.devices} sessions={data.summary.sessions} />
        </div>
        <OffersPanel data={offers.data} failed={offers.error !== null} {...(offerLabels === undefined ? {} : { labels: offerLabels })} />
        <TrafficSourcesPanel data={data.traffic} sessions={data.summary.sessions} />
        <DeliveryHealthSection credentials={credentials} baseUrl={baseUrl} days={days} intervalMs={DASHBOARD_REFRESH.overviewMs} onAccessError={onAccessError} />
      </>
    );
  }

  return (
    <div className="fwd-view" aria-busy={overview.busy} data-testid="analytics-view">
      <div className="fwd-toolbar">
        <div>
          <h1 className="fwd-title">Analytics</h1>
          <p className="fwd-muted fwd-subtitle">
            {data === null ? `Last ${days} days` : `${formatRange(data.summary.from, data.summary.to)} (UTC)`}
            {overview.updatedAt !== null && <> · Updated {formatClock(overview.updatedAt)}</>}
          </p>
        </div>
        <div className="fwd-toolbar__controls">
          <RangePicker value={days} onChange={setDays} />
          <ExportButton credentials={credentials} range={() => lastDays(days, Date.now())} {...(baseUrl === undefined ? {} : { baseUrl })} />
          <button type="button" className="fwd-button" onClick={refreshAll}>
            {overview.busy && data !== null ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {overview.error !== null && !isCredentialError(overview.error) && (
        <ErrorPanel message={describeDashboardError(overview.error)} stale={data !== null} onRetry={refreshAll} />
      )}
      {content}
    </div>
  );
}
