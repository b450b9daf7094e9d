import { useEffect, useState } from 'react';
import { ensureSessionId } from '../../lib/chat-widget/session';
import type { ParentStorageAdapter } from '../../lib/chat-widget/parent-storage';

export type SessionIdState = { status: 'pending' } | { status: 'ready'; sessionId: string } | { status: 'error'; error: Error };

/**
 * The visitor's session id from the host page's storage, created on first visit. Waits
 * until `enabled` (the bridge connected, or standalone).
 */
export function useSessionId(storage: ParentStorageAdapter, enabled: boolean): SessionIdState {
  const [state, setState] = useState<SessionIdState>({ status: 'pending' });
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    ensureSessionId(storage).then(
      (sessionId) => current && setState({ status: 'ready', sessionId }),
      (error: unknown) => current && setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [storage, enabled]);
  return state;
}
