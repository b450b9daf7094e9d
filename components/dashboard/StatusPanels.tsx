import { formatDay } from './format';

/** Props of {@link ErrorPanel}. */
export interface ErrorPanelProps {
  message: string;
  /** True when older numbers are still shown below. */
  stale: boolean;
  onRetry: () => void;
}

/** A failed load (network, 5xx, bad answer): what happened and a retry button. */
export function ErrorPanel({ message, stale, onRetry }: ErrorPanelProps) {
  return (
    <div className="fwd-alert fwd-alert--error fwd-alert--row" role="alert" data-testid="dashboard-error">
      <p>
        {message}
        {stale && <span className="fwd-alert__note"> What you see below is from the last successful update.</span>}
      </p>
      <button type="button" className="fwd-button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

/** Nothing recorded in the range: a friendly explanation instead of empty charts. */
export function EmptyState({ from, to, canWiden }: { from: string; to: string; canWiden: boolean }) {
  return (
    <section className="fwd-panel fwd-empty" data-testid="dashboard-empty" aria-labelledby="fwd-empty-title">
      <svg className="fwd-empty__art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect x="8" y="34" width="10" height="18" rx="2" />
        <rect x="27" y="24" width="10" height="28" rx="2" />
        <rect x="46" y="14" width="10" height="38" rx="2" />
      </svg>
      <h2 id="fwd-empty-title">No activity yet</h2>
      <p>
        Nothing was recorded for this widget between {formatDay(from)} and {formatDay(to)} (UTC). Once the widget is on a page and visitors open it,
        their sessions, messages and clicks show up here within a minute.
      </p>
      {canWiden && <p className="fwd-muted">Looking for older data? Pick a longer range above.</p>}
    </section>
  );
}

/** The first load of a range: placeholders in the shape of the page. */
export function LoadingPanel() {
  return (
    <div className="fwd-loading" role="status" data-testid="dashboard-loading">
      <span className="fwd-visually-hidden">Loading analytics…</span>
      <div className="fwd-cards" aria-hidden="true">
        {Array.from({ length: 8 }, (_, index) => (
          <div key={index} className="fwd-card fwd-skeleton" />
        ))}
      </div>
      <div className="fwd-panel fwd-skeleton fwd-skeleton--chart" aria-hidden="true" />
    </div>
  );
}
