/** What the analytics client of one widget signs its requests with. */
export interface DashboardCredentials {
  widgetId: string;
  apiKey: string;
}

/** The widget the dashboard shows, as picked. */
export interface WidgetChoice {
  widgetId: string;
  /** Picked with "New widget": not registered until its first save. */
  isNew: boolean;
}

/** What the tab remembers: the key, and the widget picked with it (null until one is). */
export interface DashboardSession {
  apiKey: string;
  widget: WidgetChoice | null;
}

const STORAGE_KEY = 'framewire:dashboard:credentials';

/** Where the session lives: the tab's sessionStorage, never the URL or localStorage. */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage blocked by the browser's settings: the dashboard still works for this page view.
    return null;
  }
}

function widgetOf(value: unknown): WidgetChoice | null {
  const candidate = value as Partial<WidgetChoice> | null | undefined;
  return typeof candidate?.widgetId === 'string' && candidate.widgetId !== '' ? { widgetId: candidate.widgetId, isNew: candidate.isNew === true } : null;
}

/** The session kept for this tab, if any. */
export function loadSession(): DashboardSession | null {
  try {
    const raw = storage()?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as { apiKey?: unknown; widget?: unknown } | null;
    return typeof value?.apiKey === 'string' && value.apiKey !== '' ? { apiKey: value.apiKey, widget: widgetOf(value.widget) } : null;
  } catch {
    return null;
  }
}

/** Keeps the key and the widget picked for this tab only (sessionStorage). */
export function saveSession(session: DashboardSession): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Full or blocked storage: a reload asks again, nothing else breaks.
  }
}

/** Forgets the key and the widget (sign out, refused key). */
export function clearSession(): void {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}
