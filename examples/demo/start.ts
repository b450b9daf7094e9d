import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import { loadConfig, startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { attachDemoBot, startDemoBot } from './bot';
import { startDemoServers } from './demo-servers';

/**
 * `npm start`: the collector (SQLite by default), the widget origin and the demo host page.
 *
 * Environment: `HOST_PORT` (default 3000), `WIDGET_PORT` (default 3001), and the
 * collector's own variables (`COLLECTOR_PORT`, `DATABASE_URL`, … see docs/COLLECTOR.md).
 * Without `FRAMEWIRE_API_KEYS`/`FRAMEWIRE_API_KEYS_FILE`, a random API key for owner `demo`
 * and widget `demo` is made for this run and printed with the dashboard's URL. Widget `demo`
 * is registered on first start (owner `demo`, allowed on the host page's origin).
 */
const port = z.coerce.number().int().min(0).max(65535);
const DemoEnvSchema = z.object({
  HOST_PORT: port.default(3000),
  WIDGET_PORT: port.default(3001),
});

/** The demo page's widget. */
const DEMO_WIDGET_ID = 'demo';

/**
 * Registers widget `demo` (owner `demo`, the built-in content, allowed on the demo host's
 * origin) unless the store already has it: edits made in the dashboard survive a restart.
 * A kept widget that does not list this run's host origin (another `HOST_PORT`) gets it
 * added, or the demo page could not show it. Says what it did.
 */
async function registerDemoWidget(collector: RunningCollector, hostOrigin: string): Promise<string> {
  const kept = await collector.store.getWidget(DEMO_WIDGET_ID);
  if (kept !== null && (kept.allowedOrigins.length === 0 || kept.allowedOrigins.includes(hostOrigin))) {
    return `kept from an earlier run, allowed on ${kept.allowedOrigins.join(', ') || 'any site'}`;
  }
  const document =
    kept === null
      ? { name: 'Demo widget', allowedOrigins: [hostOrigin], content: DEFAULT_WIDGET_CONTENT }
      : { name: kept.name, allowedOrigins: [...kept.allowedOrigins, hostOrigin], content: kept.content };
  await collector.store.putWidget({
    widgetId: DEMO_WIDGET_ID,
    owner: kept?.owner ?? 'demo',
    document,
    expectedRevision: kept?.revision ?? null,
    now: Date.now(),
  });
  collector.widgets.invalidate(DEMO_WIDGET_ID);
  return kept === null ? `registered, allowed on ${hostOrigin}` : `kept from an earlier run, ${hostOrigin} added to its allowed sites`;
}

async function main(): Promise<void> {
  const env = DemoEnvSchema.safeParse(process.env);
  if (!env.success) {
    const issues = env.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid demo configuration: ${issues.join('; ')}`);
  }
  const config = loadConfig(process.env);
  // A fresh key per run: the demo never ships a fixed secret that could end up in production.
  const demoKey = config.apiKeys.length === 0 ? randomBytes(24).toString('base64url') : null;
  // The demo bot listens on loopback: the demo lets webhooks reach it (FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE).
  const collector = await startCollector({
    ...config,
    webhookAllowPrivate: true,
    ...(demoKey === null ? {} : { apiKeys: [{ key: demoKey, owner: 'demo', widgets: ['demo'] }] }),
  });
  const demo = await startDemoServers({
    hostPort: env.data.HOST_PORT,
    widgetPort: env.data.WIDGET_PORT,
    collectorUrl: collector.url,
    getWidget: (widgetId) => collector.widgets.getWidget(widgetId),
    requireRegistration: collector.config.requireRegistration,
  });
  const hostOrigin = new URL(demo.hostUrl).origin;
  const registration = await registerDemoWidget(collector, hostOrigin);
  // The demo bot answers visitors through the agent API, with this run's key; with keys of
  // your own (FRAMEWIRE_API_KEYS) there is no key to give it, and the inbox answers alone.
  const botSecret = randomBytes(32).toString('base64url');
  const bot = demoKey === null ? null : await startDemoBot({ collectorUrl: collector.url, apiKey: demoKey, secret: botSecret, port: 0 });
  if (bot !== null) {
    await attachDemoBot(collector.store, DEMO_WIDGET_ID, { url: bot.url, secret: botSecret });
    collector.widgets.invalidate(DEMO_WIDGET_ID);
  }

  console.log(`framewire demo is running:
  host page   ${demo.hostUrl}
  strict CSP  ${demo.strictHostUrl}  (the same page under a strict Content-Security-Policy)
  widget      ${demo.widgetOrigin}/widget.html
  collector   ${collector.url} (${collector.engine})
  dashboard   ${collector.url}/dashboard  (API key: ${demoKey ?? 'one of FRAMEWIRE_API_KEYS'})
  widget demo ${registration}
              edit it in the dashboard (Editor tab) or with PUT ${collector.url}/api/widgets/${DEMO_WIDGET_ID} (docs/WIDGETS.md)
  demo bot    ${bot === null ? 'off (FRAMEWIRE_API_KEYS is set: no key to give it)' : `${bot.url} (answers "hours", "shipping", "returns", "human"; the inbox answers too)`}
  other site  ${demo.otherHostUrl}  (the same page on an origin the widget does not allow: it is not shown there)
Press Ctrl+C to stop.`);

  const stop = (): void => {
    void Promise.all([demo.close(), bot?.close(), collector.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
