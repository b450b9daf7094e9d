import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { describeDashboardError } from './api/index';

/** Props of {@link SignInForm}. */
export interface SignInFormProps {
  /** Why the user is here again, e.g. "That key was refused" (shown as an alert). */
  notice: string | null;
  /** Checks the key against the collector; rejects with its error. */
  verify: (apiKey: string, signal: AbortSignal) => Promise<void>;
  /** Called once the collector accepted the key. */
  onSignIn: (apiKey: string) => void;
}

/**
 * Asks for the API key alone, checks it with one request for the key's widgets, then hands it
 * up (the widget is picked next, from that list). The form never submits natively (POST, and
 * the page's CSP has `form-action 'none'`): the key must not land in a URL or a server log.
 */
export function SignInForm({ notice, verify, onSignIn }: SignInFormProps) {
  const [apiKey, setApiKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(notice);
  const controller = useRef<AbortController | null>(null);
  const ids = useId();

  useEffect(() => () => controller.current?.abort(), []);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const key = apiKey.trim();
    if (key === '') return;
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setChecking(true);
    setError(null);
    try {
      await verify(key, own.signal);
      if (!own.signal.aborted) onSignIn(key);
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
        <h1 className="fwd-signin__title">Your widgets</h1>
        <p className="fwd-muted">Sign in with your API key: you then pick one of the widgets it may see, or create one.</p>
        {error !== null && (
          <p className="fwd-alert fwd-alert--error" role="alert" id={errorId} data-testid="signin-error">
            {error}
          </p>
        )}
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
            autoFocus
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
