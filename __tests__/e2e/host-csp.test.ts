import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { STRICT_PAGES } from '../../examples/demo/strict-pages';
import type { StrictPagePath } from '../../examples/demo/strict-pages';
import { startStaticServer } from '../../examples/demo/static-server';
import { startCollector } from '../../server/index';
import type { RunningCollector } from '../../server/index';
import { engineLabel, until } from './support/driver';
import type { TestPage } from './support/driver';
import { createEngineStage, STAGE_COLLECTOR_OPTIONS } from './support/stage';
import type { EngineStage } from './support/stage';
import { showOffer } from './support/survey';

/**
 * Customer pages as they are: `Referrer-Policy: no-referrer` and a Content-Security-Policy
 * without `'unsafe-inline'` (examples/demo/strict-pages.ts). Each strict page records every
 * `securitypolicyviolation` event in `window.cspViolations` from its first script on.
 */

const WIDGET_ID = 'demo';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

let collector: RunningCollector;
let stage: EngineStage;

beforeAll(async () => {
  collector = await startCollector({ ...STAGE_COLLECTOR_OPTIONS, port: 0, databaseUrl: ':memory:', logLevel: 'silent' });
  stage = await createEngineStage({ collectorUrl: collector.url });
});
afterAll(async () => {
  await stage?.close();
  await collector?.close();
});

const strictUrl = (path: StrictPagePath): string => new URL(path, stage.demo.hostUrl).href;

/** What the page's CSP reported so far; `null` when the recorder did not run (no policy page). */
const violationsOf = (page: TestPage): Promise<Violation[] | null> =>
  page.evaluate(() => (window as unknown as { cspViolations?: Violation[] }).cspViolations ?? null);

interface Box {
  position: string;
  width: number;
  height: number;
  /** Distances from the viewport's right, bottom and left edges. */
  right: number;
  bottom: number;
  left: number;
  background: string;
  radius: string;
  display: string;
  viewport: { width: number; height: number };
}

/** The computed look of the launcher or the panel in the embed's shadow root. */
const boxOf = (page: TestPage, selector: string): Promise<Box | null> =>
  page.evaluate((query) => {
    const element = document.querySelector('[data-framewire]')?.shadowRoot?.querySelector(query);
    if (!element) return null;
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    const viewport = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
    return {
      position: style.position,
      width: Math.round(rect.width),
      height: Math.round(rect.height),
      right: Math.round(viewport.width - rect.right),
      bottom: Math.round(viewport.height - rect.bottom),
      left: Math.round(rect.left),
      background: style.backgroundColor,
      radius: style.borderTopLeftRadius,
      display: style.display,
      viewport,
    };
  }, selector);

const LAUNCHER = '[data-testid="widget-launcher"]';
const PANEL = 'iframe';
const INDIGO = 'rgb(79, 70, 229)';

describe(`in ${engineLabel()}, a host page with a strict CSP and no referrer`, () => {
  test('connects the widget, styles the launcher and the panel, and records no CSP violation', async () => {
    const { page, widget } = await stage.openHost(undefined, stage.demo.strictHostUrl);
    expect(await violationsOf(page)).toEqual([]);

    const launcher = await boxOf(page, LAUNCHER);
    expect(launcher).toMatchObject({ position: 'fixed', width: 56, height: 56, right: 20, bottom: 20, background: INDIGO, radius: '50%' });
    expect(await boxOf(page, PANEL)).toMatchObject({ display: 'none' });

    await page.click(LAUNCHER);
    await page.waitFor(() => document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe')?.hidden === false);
    const panel = await boxOf(page, PANEL);
    if (!panel) throw new Error('No panel.');
    expect(panel).toMatchObject({ position: 'fixed', right: 20, bottom: 88, background: 'rgb(255, 255, 255)', radius: '16px' });
    expect(panel.width).toBe(Math.min(380, panel.viewport.width - 32));
    expect(panel.height).toBe(Math.min(600, panel.viewport.height - 120));
    await widget.waitForSelector('[data-testid="chat-input"]', { visible: true });

    expect(await violationsOf(page)).toEqual([]);
  });

  test('lets offer clicks reach the collector through connect-src', async () => {
    const { page, widget } = await stage.openHost(undefined, stage.demo.strictHostUrl);
    const sessionId = await page.waitFor((key) => localStorage.getItem(key), `framewire:${WIDGET_ID}:session_id`, {
      message: 'the session id in the host page',
    });
    await page.click(LAUNCHER);
    await widget.click(await showOffer(widget));
    const stored = async (): Promise<number> => {
      const rows = await collector.store.listEvents({ widgetId: WIDGET_ID, kind: 'click', limit: 10_000 });
      return rows.filter((row) => row.sessionId === sessionId).length;
    };
    // The click batch is sent when it is full or after its timer (5 s).
    await until('the click to be stored by the collector', async () => (await stored()) === 1, 20_000);
    expect(await violationsOf(page)).toEqual([]);
  });

  test('is served with no-referrer and exactly the strict policy, with a fresh nonce per response', async () => {
    const policies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(stage.demo.strictHostUrl);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      policies.push(response.headers.get('content-security-policy') ?? '');
      const body = await response.text();
      expect(body).not.toMatch(/<style|\sstyle=/i);
    }
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policies[0] ?? '')?.[1];
    expect(policies[0]).toBe(
      `script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'self'; frame-src ${stage.demo.widgetOrigin}; connect-src ${collector.url}`,
    );
    expect(policies[1]).not.toContain(`'nonce-${nonce}'`);
  });

  test('keeps the host origin in the widget: the iframe sends its origin as referrer despite no-referrer', async () => {
    const { widget } = await stage.openHost(undefined, stage.demo.strictHostUrl);
    const seen = await widget.evaluate(() => ({
      referrer: document.referrer,
      host: new URLSearchParams(location.search).get('host'),
    }));
    // Where `location.ancestorOrigins` is missing (Firefox), the widget trusts the `host`
    // parameter only when the referrer has the same origin: this is what lets it connect.
    expect(seen.referrer).toBe(`${stage.hostOrigin}/`);
    expect(seen.host).toBe(stage.hostOrigin);
  });

  test.each(Object.entries(STRICT_PAGES))('%s (%s) connects the widget with no CSP violation', async (path) => {
    const { page } = await stage.openHost(undefined, strictUrl(path as StrictPagePath));
    expect(await boxOf(page, LAUNCHER)).toMatchObject({ position: 'fixed', width: 56, background: INDIGO });
    expect(await violationsOf(page)).toEqual([]);
  });

  test('without adoptedStyleSheets, the CSSOM fallback styles the launcher the same, on the left too, with no CSP violation', async () => {
    const { page } = await stage.openHost(undefined, stage.demo.strictHostUrl);
    const config = { widgetId: WIDGET_ID, widgetUrl: `${stage.demo.widgetOrigin}/widget.html`, position: 'bottom-left' };
    await page.evaluate((init) => {
      // As in a browser without constructable stylesheets (Safari < 16.4, Firefox < 101).
      Reflect.deleteProperty(ShadowRoot.prototype, 'adoptedStyleSheets');
      const framewire = (window as unknown as { framewire: (...command: unknown[]) => void }).framewire;
      framewire('destroy');
      framewire('init', init);
    }, config);
    // Polled through a handle that finds the frame afresh: the old iframe may still be detaching.
    const widget = await page.frame(stage.demo.widgetOrigin);
    await widget.waitFor(() => document.querySelector('[data-testid="connection-status"][data-state="connected"]') !== null, undefined, {
      message: 'the re-initialised widget to connect',
    });
    expect(await page.evaluate(() => document.querySelector('[data-framewire]')?.shadowRoot?.adoptedStyleSheets)).toBeUndefined();
    expect(await boxOf(page, LAUNCHER)).toMatchObject({ position: 'fixed', width: 56, height: 56, left: 20, bottom: 20, background: INDIGO, radius: '50%' });
    await page.click(LAUNCHER);
    await page.waitFor(() => document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('iframe')?.hidden === false);
    expect(await boxOf(page, PANEL)).toMatchObject({ position: 'fixed', left: 20, bottom: 88 });
    expect(await violationsOf(page)).toEqual([]);
  });

  test('reports inline styles: a style attribute, a style element, and the launcher styled as before with setAttribute', async () => {
    const { page } = await stage.openHost(undefined, stage.demo.strictHostUrl);
    expect(await violationsOf(page)).toEqual([]);
    const applied = await page.evaluate(() => {
      document.body.setAttribute('style', 'outline: 3px solid rgb(255, 0, 0)');
      const sheet = document.createElement('style');
      sheet.textContent = 'main { outline: 3px solid rgb(255, 0, 0); }';
      document.head.append(sheet);
      // What the embed did before: a style attribute on a button in a shadow root.
      const root = document.createElement('div');
      const button = document.createElement('button');
      button.setAttribute('style', 'position:fixed;outline:3px solid rgb(255, 0, 0)');
      root.attachShadow({ mode: 'open' }).append(button);
      document.body.append(root);
      return [document.body, document.querySelector('main'), button].map((element) => (element ? getComputedStyle(element).outlineStyle : null));
    });
    // The policy is enforced: none of the three applied.
    expect(applied).toEqual(['none', 'none', 'none']);
    const reported = await page.waitFor(
      () => {
        const violations = (window as unknown as { cspViolations: Violation[] }).cspViolations;
        return violations.length >= 3 ? violations : null;
      },
      undefined,
      { message: 'three CSP violations to be reported' },
    );
    // CSP3 names the sub-directive (`style-src-attr`, `style-src-elem`); older engines say `style-src`.
    expect(reported).toHaveLength(3);
    for (const violation of reported) expect(violation.directive).toMatch(/^style-src(-attr|-elem)?$/);
  });

  test('that enforces Trusted Types connects the widget when embed.js comes from a script tag (skipped where the engine has no Trusted Types)', async (context) => {
    const nonce = randomBytes(16).toString('base64');
    const { widgetOrigin } = stage.demo;
    const csp = `require-trusted-types-for 'script'; script-src 'nonce-${nonce}'; style-src 'self'; frame-src ${widgetOrigin}; connect-src 'none'`;
    const init = JSON.stringify({ widgetId: WIDGET_ID, widgetUrl: `${widgetOrigin}/widget.html` });
    // The stub without its script insertion (`script.src` is a Trusted Types sink), then a plain tag.
    const body = `<!doctype html><html><head><script nonce="${nonce}">
      window.cspViolations = [];
      addEventListener('securitypolicyviolation', function (e) { cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }); });
    </script></head><body><main>Trusted Types</main><script nonce="${nonce}">
      window.framewire = window.framewire || function () { (framewire.q = framewire.q || []).push(arguments); };
      framewire('init', ${init});
    </script><script async nonce="${nonce}" src="${widgetOrigin}/embed.js"></script></body></html>`;
    const server = await startStaticServer({
      mounts: {},
      routes: [
        (_request, response) => {
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp }).end(body);
          return true;
        },
      ],
    });
    try {
      const { page } = await stage.openHost(undefined, `http://localhost:${server.port}/`);
      if (!(await page.evaluate(() => 'trustedTypes' in window))) return context.skip();
      // The policy is in force: a plain string into innerHTML is refused.
      expect(await page.evaluate(() => {
        try {
          document.querySelector('main')!.innerHTML = '<b>x</b>';
          return 'accepted';
        } catch {
          return 'refused';
        }
      })).toBe('refused');
      expect(await boxOf(page, LAUNCHER)).toMatchObject({ position: 'fixed', width: 56, background: INDIGO });
      expect(await page.evaluate(() => document.querySelector('[data-framewire]')?.shadowRoot?.querySelector('svg path') !== null)).toBe(true);
      const reported = await violationsOf(page);
      expect(reported?.map((violation) => violation.directive)).toEqual(['require-trusted-types-for']);
    } finally {
      await server.close();
    }
  });
});
