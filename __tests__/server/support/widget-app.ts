import { createCollectorApp, normalizeConfig, openStore } from '../../../server';
import type { CollectorApp, CollectorOptions, EventStore } from '../../../server';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetDocumentInput } from '../../../lib/protocol/widget-document';
import type { EngineFixture } from './engines';

/** A collector app listening on a free loopback port, over a fresh database of one engine. */
export interface ListeningApp {
  url: string;
  collector: CollectorApp;
  store: EventStore;
  close(): Promise<void>;
}

/** Starts the real fastify app (not `startCollector`: the tests read the app's refusal counts). */
export async function listenApp(fixture: EngineFixture, options: CollectorOptions = {}): Promise<ListeningApp> {
  const store = await openStore({ databaseUrl: await fixture.freshDatabaseUrl() });
  const collector = createCollectorApp(normalizeConfig({ logLevel: 'silent', ...options }), store, () => false);
  await collector.app.listen({ host: '127.0.0.1', port: 0 });
  const address = collector.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    collector,
    store,
    close: async () => {
      await collector.app.close();
      await store.close();
    },
  };
}

/** A valid widget document; fields can be overridden. */
export function widgetDocument(overrides: Partial<WidgetDocumentInput> = {}): WidgetDocumentInput {
  return { name: 'Shop widget', allowedOrigins: ['https://shop.example'], content: DEFAULT_WIDGET_CONTENT, ...overrides };
}
