import { useEffect, useState } from 'react';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { createChatServices } from '../../../lib/chat-widget/chat-services';
import type { ChatServices } from '../../../lib/chat-widget/chat-services';

/**
 * The given services, or services this component owns: created after mount, destroyed on
 * unmount (so React's double effects in development leave nothing running).
 */
export function useChatServices(
  given: ChatServices | undefined,
  bridge: BridgeClient | null,
  widgetId: string,
  useEnhancedStorage: boolean,
  debug: boolean,
): ChatServices | null {
  const [own, setOwn] = useState<ChatServices | null>(null);
  useEffect(() => {
    if (given) return;
    const services = createChatServices({ bridge, widgetId, useEnhancedStorage, debug });
    // Services start timers and listeners, so they are made here, where cleanup is guaranteed.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOwn(services);
    return () => {
      services.destroy();
      setOwn(null);
    };
  }, [given, bridge, widgetId, useEnhancedStorage, debug]);
  return given ?? own;
}
