import { beforeEach, describe, expect, test } from 'vitest';
import { createHostApi } from '../../../lib/embed/host-api';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import type { NamespacedStorage } from '../../../lib/embed/namespaced-storage';

beforeEach(() => localStorage.clear());

describe('createHostApi', () => {
  test('answers ping with the same number', () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    expect(api.ping(1234)).toEqual({ ok: true, value: 1234 });
  });

  test('serves get, set and remove of the namespace as result values', () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    expect(api.getItem('k')).toEqual({ ok: true, value: null });
    expect(api.setItem('k', 'v')).toEqual({ ok: true, value: null });
    expect(api.getItem('k')).toEqual({ ok: true, value: 'v' });
    expect(api.removeItem('k')).toEqual({ ok: true, value: null });
    expect(localStorage.length).toBe(0);
  });

  test('returns QUOTA_EXCEEDED as a value, not a throw', () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    expect(api.setItem('k', 'x'.repeat(70_000))).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
  });

  test('turns an unexpected failure into HOST_ERROR without leaking its message', () => {
    const broken = { getItem: () => { throw new Error('internal detail /path'); } } as unknown as NamespacedStorage;
    expect(createHostApi(broken).getItem('k')).toEqual({ ok: false, code: 'HOST_ERROR', message: 'The host failed to handle the call.' });
  });

  test('has no prototype and cannot be changed', () => {
    const api = createHostApi(createNamespacedStorage({ widgetId: 'w' }));
    expect(Object.getPrototypeOf(api)).toBeNull();
    expect(Object.isFrozen(api)).toBe(true);
    expect('constructor' in api).toBe(false);
  });
});
