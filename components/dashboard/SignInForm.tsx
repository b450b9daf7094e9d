import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { describeDashboardError } from './api/index';
import type { DashboardCredentials } from './api/index';
import { WIDGET_ID_INPUT_PATTERN } from '../../lib/protocol/collector';

/** Props of {@link SignInForm}. */
export interface SignInFormProps {
  /** Prefilled widget id (after a sign-out or a refused key). */
  initialWidgetId: string;
  /** Why the user is here again, e.g. "That key was refused" (shown as an alert). */
  notice: string | null;
  /** Checks the credentials against the collector; rejects with its error. */
  verify: (credentials: DashboardCredentials, signal: AbortSignal) => Promise<void>;
  /** Called once the collector accepted the credentials. */
  onSignIn: (credentials: DashboardCredentials) => void;
}


/**
 * Asks for the widget id and its API key, checks them with one summary request, then hands
 * them up. The form never submits natively (POST, and the page's CSP has `form-action 'none'`):
 * the key must not land in a URL or a server log.
 */
export function SignInForm({ initialWidgetId, notice, verify, onSignIn }: SignInFormProps) {
  const [widgetId, setWidgetId] = useState(initialWidgetId);
  const [apiKey, setApiKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(notice);
  const controller = useRef<AbortController | null>(null);
  const ids = useId();

  useEffect(() => () => controller.current?.abort(), []);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const credentials = { widgetId: widgetId.trim(), apiKey: apiKey.trim() };
    if (credentials.widgetId === '' || credentials.apiKey === '') return;
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setChecking(true);
    setError(null);
    try {
      await verify(credentials, own.signal);
      if (!own.signal.aborted) onSignIn(credentials);
    } catch (failure) {
      if (own.signal.aborted) return;
      setError(describeDashboardError(failure));
      setChecking(false);
    }
  };

  const errorId = `${ids}-error`;
  return (
    <main className="fwd-signin" data-testid="dashboard-signin">
      <form className="fwd-signin__card" method="post" onSubmit={(event) => void submit(event)} aria-describedby={error ? errorId : undefined}>
        <p className="fwd-brand" aria-hidden="true">
          <span className="fwd-brand__mark" />
          framewire
        </p>
        <h1 className="fwd-signin__title">Widget analytics</h1>
        <p className="fwd-muted">Sign in with your widget id and the API key that reads its analytics.</p>
        {error !== null && (
          <p className="fwd-alert fwd-alert--error" role="alert" id={errorId} data-testid="signin-error">
            {error}
          </p>
        )}
        <label className="fwd-field" htmlFor={`${ids}-widget`}>
          <span className="fwd-field__label">Widget id</span>
          <input
            id={`${ids}-widget`}
            name="widgetId"
            className="fwd-input"
            value={widgetId}
            onChange={(event) => setWidgetId(event.target.value)}
            required
            pattern={WIDGET_ID_INPUT_PATTERN}
            title="1–64 characters: letters, digits, _ -, starting with a letter or digit"
            autoComplete="off"
            spellCheck={false}
            autoFocus={initialWidgetId === ''}
          />
        </label>
        <label className="fwd-field" htmlFor={`${ids}-key`}>
          <span className="fwd-field__label">API key</span>
          <input
            id={`${ids}-key`}
            name="apiKey"
            type="password"
            className="fwd-input"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            autoFocus={initialWidgetId !== ''}
          />
        </label>
        <button type="submit" className="fwd-button fwd-button--primary fwd-signin__submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        <p className="fwd-fineprint">The key is kept in this browser tab only and sent to this collector alone. Close the tab or sign out to forget it.</p>
      </form>
    </main>
  );
}
