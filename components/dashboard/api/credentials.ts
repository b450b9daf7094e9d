/** What the dashboard signs in with. */
export interface DashboardCredentials {
  widgetId: string;
  apiKey: string;
}

const STORAGE_KEY = 'framewire:dashboard:credentials';

/** Where credentials live: the tab's sessionStorage, never the URL or localStorage. */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage blocked by the browser's settings: the dashboard still works for this page view.
    return null;
  }
}

/** The credentials kept for this tab, if any. */
export function loadCredentials(): DashboardCredentials | null {
  try {
    const raw = storage()?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<DashboardCredentials>;
    return typeof value.widgetId === 'string' && typeof value.apiKey === 'string' && value.widgetId !== '' && value.apiKey !== ''
      ? { widgetId: value.widgetId, apiKey: value.apiKey }
      : null;
  } catch {
    return null;
  }
}

/** Keeps the credentials for this tab only (sessionStorage). */
export function saveCredentials(credentials: DashboardCredentials): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Full or blocked storage: a reload asks again, nothing else breaks.
  }
}

/** Forgets the credentials (sign out, refused key). */
export function clearCredentials(): void {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}
