import { afterEach, describe, expect, test } from 'vitest';
import { clearSession, loadSession, saveSession } from '../../../components/dashboard/api/credentials';

afterEach(() => sessionStorage.clear());

describe('the dashboard session', () => {
  test('keeps the key and the widget picked in sessionStorage, and forgets both on sign-out', () => {
    expect(loadSession()).toBeNull();
    saveSession({ apiKey: 'k_live_0123456789abcdef', widget: null });
    expect(loadSession()).toEqual({ apiKey: 'k_live_0123456789abcdef', widget: null });
    saveSession({ apiKey: 'k_live_0123456789abcdef', widget: { widgetId: 'shop', isNew: true } });
    expect(loadSession()).toEqual({ apiKey: 'k_live_0123456789abcdef', widget: { widgetId: 'shop', isNew: true } });
    expect(localStorage.length).toBe(0);
    clearSession();
    expect(loadSession()).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  test('ignores what it cannot read: no key, not JSON, a widget without an id', () => {
    sessionStorage.setItem('framewire:dashboard:credentials', '{"widget":{"widgetId":"shop"}}');
    expect(loadSession()).toBeNull();
    sessionStorage.setItem('framewire:dashboard:credentials', 'not json');
    expect(loadSession()).toBeNull();
    sessionStorage.setItem('framewire:dashboard:credentials', '{"apiKey":"k_live_0123456789abcdef","widget":{"widgetId":""}}');
    expect(loadSession()).toEqual({ apiKey: 'k_live_0123456789abcdef', widget: null });
  });
});
