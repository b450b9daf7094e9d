import { vi } from 'vitest';
import { createHostApi } from '../../../lib/embed/host-api';
import { createNamespacedStorage } from '../../../lib/embed/namespaced-storage';
import { FramewireError } from '../../../lib/protocol/errors';
import type { HostApi } from '../../../lib/protocol/host-api';
import type { STORAGE_LIMITS } from '../../../lib/protocol/limits';
import { createMemoryStorage } from '../../../lib/util/memory-storage';

/**
 * The host's real storage rules (namespace, limits, browser quota) behind a bridge stand-in:
 * `call`/`callWithTimeout` run the host API after `latency` ms and reject with the host's
 * `FramewireError` code, as the bridge does. `fillQuota()` makes the host's localStorage
 * throw `QuotaExceededError` on every write, as a full origin does (nothing changes).
 */
export function storageHost(options: { widgetId?: string; limits?: Partial<typeof STORAGE_LIMITS>; latency?: number } = {}) {
  const widgetId = options.widgetId ?? 'demo';
  const area = createMemoryStorage();
  const write = area.setItem.bind(area);
  let full = false;
  area.setItem = (key, value) => {
    if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    write(key, value);
  };
  const storage = createNamespacedStorage({ widgetId, storage: area, ...(options.limits ? { limits: options.limits } : {}) });
  const api = createHostApi(storage, () => ({ ok: true, value: { queued: 0 } }));
  const latency = options.latency ?? 1;
  const call = vi.fn(
    (method: string, ...args: unknown[]) =>
      new Promise((resolve, reject) => {
        setTimeout(() => {
          const result = (api[method as keyof HostApi] as (...a: unknown[]) => ReturnType<HostApi['getItem']>)(...args);
          if (result.ok) resolve(result.value);
          else reject(new FramewireError(result.code, result.message));
        }, latency);
      }),
  );
  const callWithTimeout = vi.fn((_timeoutMs: number, method: string, ...args: unknown[]) => call(method, ...args));
  return {
    /** The host's localStorage, full keys (`framewire:<widgetId>:<key>`). */
    area,
    storage,
    call,
    callWithTimeout,
    bridge: { call, callWithTimeout, getState: () => 'connected' as const, subscribe: () => () => undefined },
    /** The stored value of one of the widget's keys. */
    get: (key: string) => area.getItem(`framewire:${widgetId}:${key}`),
    fillQuota: () => void (full = true),
    freeQuota: () => void (full = false),
  };
}
