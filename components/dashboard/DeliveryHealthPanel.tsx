import { useCallback, useMemo } from 'react';
import type { DeliveryHealthAnswer, DeliveryHealthFigures } from '../../lib/protocol/delivery-health-schema';
import { createApiRequester, isKeyRefused, lastDays } from './api/index';
import type { DashboardCredentials, RangeDays } from './api/index';
import { formatCount, formatDay, formatResponseTime } from './format';
import { usePolling } from './hooks/index';

/** Props of {@link DeliveryHealthPanel}. */
export interface DeliveryHealthPanelProps {
  data: DeliveryHealthAnswer | null;
  /** The last refresh failed (the figures shown, if any, are older). */
  failed: boolean;
}

const sum = (values: Record<string, number>): number => Object.values(values).reduce((total, n) => total + n, 0);
/** Round trips are milliseconds, waits may be hours: `12 ms`, `1 m 30 s`; `–` without reports. */
const ms = (value: number | null): string => {
  if (value === null) return '–';
  return value < 1000 ? `${formatCount(value)} ms` : formatResponseTime(value);
};

/** One row of the table: a day, or the whole range. */
function Row({ label, figures }: { label: string; figures: DeliveryHealthFigures }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td title={`maxEvents: ${figures.dropped.count}, maxBytes: ${figures.dropped.bytes}`}>{formatCount(sum(figures.dropped))}</td>
      <td
        title={`too old: ${figures.refused.tooOld}, in the future: ${figures.refused.inFuture}, too large: ${figures.refused.tooLarge}, invalid: ${figures.refused.invalid}, HTTP 400/413: ${figures.refused.http}, other: ${figures.refused.other}`}
      >
        {formatCount(sum(figures.refused))}
      </td>
      <td>{formatCount(figures.retries)}</td>
      <td>
        {ms(figures.oldestPendingMs.p95 === null ? null : figures.oldestPendingMs.max)} / {ms(figures.oldestPendingMs.p95)}
      </td>
      <td>{formatCount(figures.bridge.disconnects)}</td>
      <td>
        {ms(figures.bridge.roundTripP50Ms)} / {ms(figures.bridge.roundTripP99Ms)}
      </td>
    </tr>
  );
}

/**
 * What the host pages' queues and the widgets' bridges reported over the range: events
 * dropped by the queues' bounds, refused by the collector, retried sends, the longest waits,
 * bridge disconnects and round trips. Days without reports are left out.
 */
export function DeliveryHealthPanel({ data, failed }: DeliveryHealthPanelProps) {
  const days = data?.days.filter((day) => day.reports > 0 || day.bridge.reports > 0) ?? [];
  return (
    <section className="fwd-panel fwd-panel--delivery" data-testid="delivery-health-panel" aria-labelledby="fwd-delivery-title">
      <h2 id="fwd-delivery-title" className="fwd-panel__title">
        Delivery health
      </h2>
      <p className="fwd-muted fwd-panel__hint">
        Reported by the host pages (at most once a minute, only when something went wrong or an event waited a minute) and by the widgets’ bridge. Oldest wait: the longest / 95th percentile. Round trip: median / 99th percentile.
      </p>
      {data === null ? (
        <p className="fwd-muted" role={failed ? 'alert' : 'status'}>
          {failed ? 'Could not load the delivery health.' : 'Loading…'}
        </p>
      ) : (
        <>
          {failed && <p className="fwd-muted fwd-active__stale">Could not refresh the delivery health: these are from the last update. Retrying…</p>}
          {days.length === 0 ? (
            <p className="fwd-muted">No delivery problem was reported in this range.</p>
          ) : (
            <div className="fwd-table-wrap">
              <table className="fwd-table fwd-delivery">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Dropped</th>
                    <th scope="col">Refused</th>
                    <th scope="col">Retries</th>
                    <th scope="col">Oldest wait</th>
                    <th scope="col">Disconnects</th>
                    <th scope="col">Round trip</th>
                  </tr>
                </thead>
                <tbody>
                  {days.map((day) => (
                    <Row key={day.date} label={formatDay(day.date)} figures={day} />
                  ))}
                </tbody>
                <tfoot>
                  <Row label="Total" figures={data.total} />
                </tfoot>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Props of {@link DeliveryHealthSection}. */
export interface DeliveryHealthSectionProps {
  credentials: DashboardCredentials;
  /** @default location.origin */
  baseUrl?: string | undefined;
  days: RangeDays;
  intervalMs: number;
  /** The key was refused (401): the caller signs out. */
  onAccessError: (error: unknown) => void;
}

/** The panel with its own loading of `GET /api/widgets/:widgetId/analytics/delivery`, refreshed with the rest. */
export function DeliveryHealthSection({ credentials, baseUrl, days, intervalMs, onAccessError }: DeliveryHealthSectionProps) {
  const request = useMemo(() => createApiRequester({ ...credentials, ...(baseUrl === undefined ? {} : { baseUrl }) }), [credentials, baseUrl]);
  // A collector without the route (404) still shows everything else.
  const onError = useCallback(
    (error: unknown) => {
      if (isKeyRefused(error)) onAccessError(error);
    },
    [onAccessError],
  );
  const health = usePolling(
    async (signal) =>
      (
        await request<DeliveryHealthAnswer>({
          path: `/api/widgets/${encodeURIComponent(credentials.widgetId)}/analytics/delivery`,
          query: lastDays(days, Date.now()),
          signal,
        })
      ).body,
    { key: `delivery:${days}`, intervalMs, onError },
  );
  return <DeliveryHealthPanel data={health.data} failed={health.error !== null} />;
}
