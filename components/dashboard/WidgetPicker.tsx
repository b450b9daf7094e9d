import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { WIDGET_ID_INPUT_PATTERN, WIDGET_ID_PATTERN } from '../../lib/protocol/collector';
import { describeDashboardError, isKeyRefused, utcDay } from './api/index';
import type { WidgetChoice, WidgetsClient, WidgetSummary } from './api/index';
import { formatDay } from './format';

/** Props of {@link WidgetPicker}. */
export interface WidgetPickerProps {
  client: WidgetsClient;
  /** Why the user is here (e.g. the widget open before could not be read). */
  notice: string | null;
  /** The widget open before "Switch widget", to go back to. */
  current: WidgetChoice | null;
  onPick: (choice: WidgetChoice) => void;
  /** The collector refused the key (401): back to sign-in. */
  onKeyRefused: (error: unknown) => void;
}

type ListState = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; widgets: WidgetSummary[] };

/**
 * The widgets the key may see (`GET /api/widgets`), to open one, and "New widget": an id
 * checked with the contract's pattern, registered by the editor's first save.
 */
export function WidgetPicker({ client, notice, current, onPick, onKeyRefused }: WidgetPickerProps) {
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [creating, setCreating] = useState(false);
  const [newId, setNewId] = useState('');
  const ids = useId();

  useEffect(() => {
    const controller = new AbortController();
    client.list(controller.signal).then(
      (widgets) => {
        if (!controller.signal.aborted) setList({ status: 'ready', widgets });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isKeyRefused(error)) onKeyRefused(error);
        else setList({ status: 'failed', message: describeDashboardError(error) });
      },
    );
    return () => controller.abort();
  }, [client, attempt, onKeyRefused]);

  const widgets = list.status === 'ready' ? list.widgets : [];
  const trimmedId = newId.trim();
  const existing = widgets.find((widget) => widget.id === trimmedId);

  const create = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!WIDGET_ID_PATTERN.test(trimmedId)) return;
    // An id the key already sees opens that widget: "New widget" never replaces one.
    onPick({ widgetId: trimmedId, isNew: existing === undefined });
  };

  return (
    <main className="fwd-main fwd-picker" data-testid="widget-picker">
      <h1 className="fwd-title">Pick a widget</h1>
      {notice !== null && (
        <p className="fwd-alert fwd-alert--error" role="alert" data-testid="picker-notice">
          {notice}
        </p>
      )}
      {list.status === 'loading' && (
        <p className="fwd-muted" role="status">
          Loading your widgets…
        </p>
      )}
      {list.status === 'failed' && (
        <div className="fwd-alert fwd-alert--error fwd-alert--row" role="alert">
          <p>{list.message}</p>
          <button type="button" className="fwd-button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      {list.status === 'ready' && widgets.length === 0 && (
        <p className="fwd-panel fwd-picker__empty" data-testid="picker-empty">
          This key sees no registered widget yet. Create one with <strong>New widget</strong>: it is registered when you first save it.
        </p>
      )}
      {widgets.length > 0 && (
        <ul className="fwd-picker__list" aria-label="Your widgets">
          {widgets.map((widget) => (
            <li key={widget.id}>
              <button
                type="button"
                className={current?.widgetId === widget.id ? 'fwd-picker__item fwd-picker__item--current' : 'fwd-picker__item'}
                data-testid="widget-choice"
                data-widget-id={widget.id}
                onClick={() => onPick({ widgetId: widget.id, isNew: false })}
              >
                <span className="fwd-picker__name">{widget.name}</span>
                <span className="fwd-muted fwd-picker__meta">
                  <code>{widget.id}</code> · revision {widget.revision}
                  {typeof widget.updatedAt === 'number' && <> · saved {formatDay(utcDay(widget.updatedAt))}</>}
                  {current?.widgetId === widget.id && <> · open now</>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="fwd-picker__actions">
        {current !== null && (
          <button type="button" className="fwd-button" onClick={() => onPick(current)}>
            Back to {current.widgetId}
          </button>
        )}
        {!creating && (
          <button type="button" className="fwd-button fwd-button--primary" onClick={() => setCreating(true)} data-testid="new-widget">
            New widget
          </button>
        )}
      </div>
      {creating && (
        <form className="fwd-panel fwd-picker__new" method="post" onSubmit={create} data-testid="new-widget-form">
          <h2 className="fwd-panel__title">New widget</h2>
          <label className="fwd-field" htmlFor={`${ids}-id`}>
            <span className="fwd-field__label">Widget id</span>
            <span className="fwd-field__hint">
              The id in the embed snippet (<code>widgetId</code>) and in every event: 1–64 characters of letters, digits, _ and -, starting with a letter or
              digit. It cannot be changed later.
            </span>
            <input
              id={`${ids}-id`}
              className="fwd-input fwd-input--code"
              value={newId}
              onChange={(event) => setNewId(event.target.value)}
              required
              pattern={WIDGET_ID_INPUT_PATTERN}
              title="1–64 characters: letters, digits, _ -, starting with a letter or digit"
              autoComplete="off"
              spellCheck={false}
              autoFocus
            />
          </label>
          {existing !== undefined && <p className="fwd-muted">You already have this widget: it opens as it is.</p>}
          <div className="fwd-picker__actions">
            <button type="submit" className="fwd-button fwd-button--primary">
              {existing === undefined ? 'Create' : 'Open'}
            </button>
            <button type="button" className="fwd-button fwd-button--ghost" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
