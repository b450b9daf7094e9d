import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { loadConfig, startCollector } from '../../server/index';
import { startDemoServers } from './demo-servers';

/**
 * `npm start`: the collector (SQLite by default), the widget origin and the demo host page.
 *
 * Environment: `HOST_PORT` (default 3000), `WIDGET_PORT` (default 3001), and the
 * collector's own variables (`COLLECTOR_PORT`, `DATABASE_URL`, … see docs/COLLECTOR.md).
 * Without `FRAMEWIRE_API_KEYS`/`FRAMEWIRE_API_KEYS_FILE`, a random API key for owner `demo`
 * and widget `demo` is made for this run and printed with the dashboard's URL.
 */
const port = z.coerce.number().int().min(0).max(65535);
const DemoEnvSchema = z.object({
  HOST_PORT: port.default(3000),
  WIDGET_PORT: port.default(3001),
});

async function main(): Promise<void> {
  const env = DemoEnvSchema.safeParse(process.env);
  if (!env.success) {
    const issues = env.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid demo configuration: ${issues.join('; ')}`);
  }
  const config = loadConfig(process.env);
  // A fresh key per run: the demo never ships a fixed secret that could end up in production.
  const demoKey = config.apiKeys.length === 0 ? randomBytes(24).toString('base64url') : null;
  const collector = await startCollector(
    demoKey === null ? config : { ...config, apiKeys: [{ key: demoKey, owner: 'demo', widgets: ['demo'] }] },
  );
  const demo = await startDemoServers({
    hostPort: env.data.HOST_PORT,
    widgetPort: env.data.WIDGET_PORT,
    collectorUrl: collector.url,
  });

  console.log(`framewire demo is running:
  host page   ${demo.hostUrl}
  strict CSP  ${demo.strictHostUrl}  (the same page under a strict Content-Security-Policy)
  widget      ${demo.widgetOrigin}/widget.html
  collector   ${collector.url} (${collector.engine})
  dashboard   ${collector.url}/dashboard  (API key: ${demoKey ?? 'one of FRAMEWIRE_API_KEYS'})
Press Ctrl+C to stop.`);

  const stop = (): void => {
    void Promise.all([demo.close(), collector.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
