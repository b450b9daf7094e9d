import { startDemoServers } from '../../../examples/demo/demo-servers';
import type { DemoOptions, RunningDemo } from '../../../examples/demo/demo-servers';
import { launchEngine } from './driver';
import type { BrowserContextHandle, Engine, TestDocument, TestFrame, TestPage } from './driver';

/** The demo (host page + widget origin) and a browser of the project's engine, for one test file. */
export interface EngineStage {
  readonly engine: Engine;
  readonly demo: RunningDemo;
  readonly hostOrigin: string;
  /** A fresh context (own storage), closed with the stage. */
  newContext(): Promise<BrowserContextHandle>;
  /** Opens the host page in a new tab (of `context`, or of a new one) and waits until the widget reports `connected`. */
  openHost(context?: BrowserContextHandle, url?: string): Promise<{ page: TestPage; widget: TestFrame }>;
  /** The widget frame of `page`, once its status element is there. */
  widgetOf(page: TestPage): Promise<TestFrame>;
  close(): Promise<void>;
}

/**
 * What every browser test's collector starts with: the browsers the tests drive are automated
 * (`navigator.webdriver`, and Chromium's user agent says `HeadlessChrome`), so their events
 * would be left out of the analytics as bot events; with `keepBots` they count like any other.
 * Only a test of the bot rule itself starts without it.
 */
export const STAGE_COLLECTOR_OPTIONS = { keepBots: true } as const;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Waits until the widget's `connection-status` element is in `state`. */
export function waitForState(widget: TestDocument, state: ConnectionState, timeout = 10_000): Promise<void> {
  return widget.waitForSelector(`[data-testid="connection-status"][data-state="${state}"]`, { timeout });
}

export async function createEngineStage(options: DemoOptions = {}): Promise<EngineStage> {
  const demo = await startDemoServers(options);
  const engine = await launchEngine().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  const contexts: BrowserContextHandle[] = [];
  const newContext = async (): Promise<BrowserContextHandle> => {
    const context = await engine.newContext();
    contexts.push(context);
    return context;
  };
  const widgetOf = async (page: TestPage): Promise<TestFrame> => {
    const widget = await page.frame(demo.widgetOrigin);
    await widget.waitForSelector('[data-testid="connection-status"]');
    return widget;
  };
  return {
    engine,
    demo,
    hostOrigin: new URL(demo.hostUrl).origin,
    newContext,
    widgetOf,
    async openHost(context, url = demo.hostUrl) {
      const page = await (context ?? (await newContext())).newPage();
      await page.goto(url);
      const widget = await widgetOf(page);
      await waitForState(widget, 'connected');
      return { page, widget };
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await engine.close();
      await demo.close();
    },
  };
}
