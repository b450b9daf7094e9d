import { startServerProcess } from '../../../__tests__/support/collector-process';
import type { CollectorProcess, ServerProcessOptions } from '../../../__tests__/support/collector-process';

/**
 * Starts the floor server (`bench/collector/floor/main.ts`) in its own process, like
 * `startCollectorProcess` starts the collector, and waits for its "listening on" line (with
 * the same deadlines); `stop()` sends SIGTERM, then SIGKILL.
 */
export function startFloorProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<CollectorProcess> {
  return startServerProcess('bench/collector/floor/main.ts', 'the floor', env, options);
}
