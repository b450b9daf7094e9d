import type { ActiveSessions, SessionSummary } from '../../lib/protocol/analytics-api';
import { formatAgo, formatCount, formatDuration } from './format';

/** Props of {@link ActiveSessionsPanel}. */
export interface ActiveSessionsPanelProps {
  data: ActiveSessions | null;
  /** The last refresh failed (the count shown, if any, is older). */
  failed: boolean;
  /** How many sessions to list. @default 5 */
  show?: number;
}

const DEVICE_NAMES: Readonly<Record<SessionSummary['deviceType'], string>> = { desktop: 'Desktop', mobile: 'Mobile', tablet: 'Tablet', other: 'Other device' };

function describeDevice(session: SessionSummary): string {
  return [DEVICE_NAMES[session.deviceType], session.browser, session.os].filter((part) => part !== null && part !== '').join(' · ');
}

/** A short, stable label for a visitor id: ids can be long uuids. */
const shortId = (id: string): string => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** Sessions with an event in the last minutes: the count and the most recent few. */
export function ActiveSessionsPanel({ data, failed, show = 5 }: ActiveSessionsPanelProps) {
  const minutes = data === null ? null : Math.round(data.windowMs / 60_000);
  return (
    <section className="fwd-panel fwd-active" data-testid="active-sessions" aria-labelledby="fwd-active-title">
      <h2 id="fwd-active-title" className="fwd-panel__title">
        <span className={data !== null && data.count > 0 ? 'fwd-pulse fwd-pulse--on' : 'fwd-pulse'} aria-hidden="true" />
        Active now
      </h2>
      {data === null ? (
        <p className="fwd-muted" role={failed ? 'alert' : 'status'}>
          {failed ? 'Could not load the active sessions.' : 'Loading…'}
        </p>
      ) : (
        <>
          <p className="fwd-active__count">
            <span className="fwd-active__number" data-testid="active-count">
              {formatCount(data.count)}
            </span>{' '}
            <span className="fwd-muted">
              {data.count === 1 ? 'session' : 'sessions'} in the last {minutes} minutes
            </span>
          </p>
          {failed && <p className="fwd-muted fwd-active__stale">Live updates paused: the collector did not answer. Retrying…</p>}
          {data.sessions.length === 0 ? (
            <p className="fwd-muted">No one is using the widget right now.</p>
          ) : (
            <ul className="fwd-active__list">
              {data.sessions.slice(0, show).map((session) => (
                <li key={session.sessionId} className="fwd-active__item">
                  <div className="fwd-active__who">
                    <span className="fwd-active__visitor" title={session.visitorId}>
                      {session.userId ?? `Visitor ${shortId(session.visitorId)}`}
                    </span>
                    {session.converted && <span className="fwd-badge">Converted</span>}
                  </div>
                  <div className="fwd-muted fwd-active__meta">
                    {describeDevice(session)} · {formatCount(session.events)} events · {formatDuration(session.durationMs)} · last seen{' '}
                    {formatAgo(session.lastSeenAt, data.at)}
                  </div>
                  {session.landingPage !== null && (
                    <div className="fwd-muted fwd-active__page" title={session.landingPage}>
                      {session.landingPage}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
