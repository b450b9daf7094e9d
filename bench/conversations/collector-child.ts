import { loadConfig, startCollector } from '../../server/index';

/**
 * A collector for the conversations benchmark, in its own process started with `--expose-gc`
 * (configuration from the environment, like `server/main.ts`). It talks to the benchmark over
 * the IPC channel:
 * - it sends `{ type: 'listening', url }` once it listens;
 * - `{ type: 'memory' }` → a full garbage collection, then `{ type: 'memory', rss, heapUsed }` (bytes);
 * - `{ type: 'stop' }`, or the benchmark going away → the collector stops and the process exits.
 */
type Request = { type: 'memory' } | { type: 'stop' };

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (gc === undefined || process.send === undefined) throw new Error('start this with --expose-gc and an IPC channel');
  const send = process.send.bind(process);
  const collector = await startCollector(loadConfig(process.env));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void collector.close().finally(() => process.exit(0));
  };
  process.on('message', (request: Request) => {
    if (request.type === 'stop') stop();
    if (request.type === 'memory') {
      // Twice: the first pass can leave finalizable objects for the second.
      gc();
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed });
    }
  });
  process.on('disconnect', stop);
  send({ type: 'listening', url: collector.url });
}

main().catch((error: unknown) => {
  console.error(`bench collector failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
