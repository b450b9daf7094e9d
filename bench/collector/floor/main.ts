import { parseDatabaseUrl } from '../../../server/store/parse-database-url';
import { createFloorApp } from './create-floor-app';
import { openFloorStore } from './open-floor-store';

/**
 * The floor server in its own process (like the collector's `server/main.ts`): `DATABASE_URL`
 * (a SQLite path or `postgres://…`, its `events` table created on start, so an empty database),
 * listens on 127.0.0.1 and a free port, prints its "listening on" line, stops on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url === undefined) throw new Error('DATABASE_URL is required');
  const target = parseDatabaseUrl(url);
  const store = await openFloorStore(url);
  const app = createFloorApp(store);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`framewire floor listening on ${address} (storage: ${target.engine})`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('stop failed:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`framewire floor failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
