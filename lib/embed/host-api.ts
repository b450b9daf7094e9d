import { ErrorCode, isFramewireError } from '../protocol/errors';
import type { HostApi, HostMethodArgs, HostResult } from '../protocol/host-api';
import type { NamespacedStorage } from './namespaced-storage';
import { createTrack } from './track';
import type { Track } from './track';

/** The answer to a call the host failed to handle; the cause stays in the host. */
export const HOST_FAILURE: HostResult<never> = { ok: false, code: ErrorCode.HOST_ERROR, message: 'The host failed to handle the call.' };

function run<T>(operation: () => T): HostResult<T> {
  try {
    return { ok: true, value: operation() };
  } catch (error) {
    return isFramewireError(error) ? { ok: false, code: error.code, message: error.message } : HOST_FAILURE;
  }
}

/**
 * The functions the host serves to its widget. Arguments arrive already validated; every
 * outcome, failure included, is returned as a {@link HostResult} value.
 */
export function createHostApi(
  storage: NamespacedStorage,
  track: Track = createTrack(null),
  applyAppearance: (appearance: HostMethodArgs<'setAppearance'>[0]) => void = () => {},
  showUnread: (count: number) => void = () => {},
): HostApi {
  const api: HostApi = {
    ping: (pingTime) => ({ ok: true, value: pingTime }),
    getItem: (key) => run(() => storage.getItem(key)),
    setItem: (key, value) => run(() => (storage.setItem(key, value), null)),
    removeItem: (key) => run(() => (storage.removeItem(key), null)),
    track: (events) => {
      const result = run(() => track(events));
      return result.ok ? result.value : result;
    },
    setAppearance: (appearance) => run(() => (applyAppearance(appearance), null)),
    setUnread: (count) => run(() => (showUnread(count), null)),
  };
  // No prototype: nothing but the methods above can be reached by name.
  return Object.freeze(Object.assign(Object.create(null) as HostApi, api));
}
