import { useCallback, useState } from 'react';
import { clearCredentials, createAnalyticsClient, describeDashboardError, lastDays, loadCredentials, saveCredentials } from './api/index';
import type { DashboardCredentials } from './api/index';
import { Dashboard } from './Dashboard';
import { SignInForm } from './SignInForm';

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  /**
   * Where the read API is.
   * @default location.origin
   */
  baseUrl?: string;
}

type Auth =
  | { status: 'signed-out'; widgetId: string; notice: string | null }
  | { status: 'signed-in'; credentials: DashboardCredentials };

function initialAuth(): Auth {
  const credentials = loadCredentials();
  return credentials ? { status: 'signed-in', credentials } : { status: 'signed-out', widgetId: '', notice: null };
}

/**
 * The analytics dashboard: the sign-in form until the collector accepts a widget id and key,
 * then the dashboard of that widget. Credentials live in sessionStorage (this tab only); a
 * refused key or unknown widget at any time brings the sign-in form back with the reason.
 */
export function DashboardApp({ baseUrl }: DashboardAppProps) {
  const [auth, setAuth] = useState<Auth>(initialAuth);

  const verify = useCallback(
    async (credentials: DashboardCredentials, signal: AbortSignal): Promise<void> => {
      const client = createAnalyticsClient({ ...credentials, ...(baseUrl === undefined ? {} : { baseUrl }) });
      await client.summary(lastDays(1, Date.now()), signal);
    },
    [baseUrl],
  );

  const signIn = useCallback((credentials: DashboardCredentials) => {
    saveCredentials(credentials);
    setAuth({ status: 'signed-in', credentials });
  }, []);

  const signOut = useCallback((widgetId: string, reason: unknown) => {
    clearCredentials();
    setAuth({ status: 'signed-out', widgetId, notice: reason === null ? null : describeDashboardError(reason) });
  }, []);

  if (auth.status === 'signed-out') {
    return <SignInForm initialWidgetId={auth.widgetId} notice={auth.notice} verify={verify} onSignIn={signIn} />;
  }
  return (
    <Dashboard
      key={auth.credentials.widgetId}
      credentials={auth.credentials}
      {...(baseUrl === undefined ? {} : { baseUrl })}
      onSignOut={(reason) => signOut(auth.credentials.widgetId, reason)}
    />
  );
}
