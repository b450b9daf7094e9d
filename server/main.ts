import { isCollectorError, loadConfig, startCollector } from './index';

/**
 * Command-line entry: environment → validated config → collector. SIGTERM/SIGINT stop it
 * gracefully (in-flight requests finish, the store is closed); a second signal exits at once.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(isCollectorError(error) ? error.message : String(error));
    process.exit(2);
  }
  const collector = await startCollector(config);
  console.log(`framewire collector listening on ${collector.url} (storage: ${collector.engine})`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal} received: stopping`);
    collector.close().then(
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
  console.error(`framewire collector failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
