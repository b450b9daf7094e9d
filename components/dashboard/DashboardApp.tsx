import { useCallback, useMemo, useState } from 'react';
import { clearSession, createWidgetsClient, describeDashboardError, loadSession, saveSession } from './api/index';
import type { WidgetChoice } from './api/index';
import { SignInForm } from './SignInForm';
import { TopBar } from './TopBar';
import { WidgetPicker } from './WidgetPicker';
import { WidgetWorkspace } from './WidgetWorkspace';

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  /**
   * Where the collector's API is.
   * @default location.origin
   */
  baseUrl?: string;
}

type Screen =
  | { status: 'signed-out'; notice: string | null }
  | { status: 'picking'; apiKey: string; notice: string | null; current: WidgetChoice | null }
  | { status: 'open'; apiKey: string; widget: WidgetChoice };

function initialScreen(): Screen {
  const session = loadSession();
  if (session === null) return { status: 'signed-out', notice: null };
  if (session.widget === null) return { status: 'picking', apiKey: session.apiKey, notice: null, current: null };
  return { status: 'open', apiKey: session.apiKey, widget: session.widget };
}

/**
 * The dashboard: sign-in with the API key alone, then the key's widgets to pick from (or a
 * new one), then the widget's analytics and editor. The key and the widget picked live in
 * sessionStorage (this tab only); a key the collector refuses at any time brings the sign-in
 * form back with the reason, a widget it refuses the widget list.
 */
export function DashboardApp({ baseUrl }: DashboardAppProps) {
  const [screen, setScreen] = useState<Screen>(initialScreen);
  const apiKey = screen.status === 'signed-out' ? null : screen.apiKey;
  const widgets = useMemo(() => (apiKey === null ? null : createWidgetsClient({ apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) })), [apiKey, baseUrl]);

  const verify = useCallback(
    async (key: string, signal: AbortSignal): Promise<void> => {
      await createWidgetsClient({ apiKey: key, ...(baseUrl === undefined ? {} : { baseUrl }) }).list(signal);
    },
    [baseUrl],
  );

  const signIn = useCallback((key: string) => {
    saveSession({ apiKey: key, widget: null });
    setScreen({ status: 'picking', apiKey: key, notice: null, current: null });
  }, []);

  const signOut = useCallback((reason: unknown) => {
    clearSession();
    setScreen({ status: 'signed-out', notice: reason === null ? null : describeDashboardError(reason) });
  }, []);

  const pick = useCallback((key: string, widget: WidgetChoice) => {
    saveSession({ apiKey: key, widget });
    setScreen({ status: 'open', apiKey: key, widget });
  }, []);

  const toPicker = useCallback((key: string, current: WidgetChoice | null, notice: string | null) => {
    saveSession({ apiKey: key, widget: null });
    setScreen({ status: 'picking', apiKey: key, notice, current });
  }, []);

  if (screen.status === 'signed-out' || widgets === null) {
    return <SignInForm notice={screen.status === 'signed-out' ? screen.notice : null} verify={verify} onSignIn={signIn} />;
  }
  if (screen.status === 'picking') {
    return (
      <div className="fwd-page">
        <TopBar onSignOut={() => signOut(null)} />
        <WidgetPicker client={widgets} notice={screen.notice} current={screen.current} onPick={(widget) => pick(screen.apiKey, widget)} onKeyRefused={signOut} />
      </div>
    );
  }
  const { widget } = screen;
  return (
    <WidgetWorkspace
      key={widget.widgetId}
      apiKey={screen.apiKey}
      widget={widget}
      {...(baseUrl === undefined ? {} : { baseUrl })}
      onSwitchWidget={() => toPicker(screen.apiKey, widget, null)}
      onSignOut={signOut}
      onWidgetRefused={(error) => toPicker(screen.apiKey, null, `Widget ${widget.widgetId}: ${describeDashboardError(error)}`)}
      onCreated={() => pick(screen.apiKey, { widgetId: widget.widgetId, isNew: false })}
    />
  );
}
