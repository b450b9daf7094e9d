import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { WidgetDocument } from '../../lib/protocol/widget-document';
import { DEFAULT_EMBED_MAX_AGE_SECONDS, startWidgetApp } from '../../server/widget-app';
import type { RunningWidgetApp } from '../../server/widget-app';
import { send } from './support/http';

const widget = (id: string, allowedOrigins: string[]): WidgetDocument => ({
  id,
  owner: 'acme',
  name: id,
  allowedOrigins,
  content: DEFAULT_WIDGET_CONTENT,
  revision: 1,
  updatedAt: 0,
  webhookUrl: null,
  webhookSecretSet: false,
});

const REGISTRY = new Map<string, WidgetDocument>([
  ['shop', widget('shop', ['https://shop.example', 'http://localhost:3000'])],
  ['dev', widget('dev', [])],
]);

let dir: string;
let outside: string;
const apps: RunningWidgetApp[] = [];
let app: RunningWidgetApp;
let strict: RunningWidgetApp;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'widget-app-'));
  outside = await mkdtemp(join(tmpdir(), 'widget-app-outside-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'widget.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'assets', 'widget-Bip9wLo2.js'), 'console.log(1)');
  await writeFile(join(outside, 'embed.js'), 'void 0');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(dir, 'leak.txt'));
  const getWidget = async (id: string) => {
    if (id === 'broken') throw new Error('registry down');
    return REGISTRY.get(id) ?? null;
  };
  app = await startWidgetApp({ dir, embedFile: join(outside, 'embed.js'), getWidget, logLevel: 'silent' });
  strict = await startWidgetApp({ dir, embedFile: null, getWidget, requireRegistration: true, logLevel: 'silent' });
  apps.push(app, strict);
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const csp = async (base: RunningWidgetApp, query: string) => {
  const answer = await send(`${base.origin}/widget.html${query}`);
  expect(answer.status).toBe(200);
  return answer.headers['content-security-policy'];
};

describe('the widget app server', () => {
  it("lets only a registered widget's allowed origins frame widget.html", async () => {
    expect(await csp(app, '?widgetId=shop&host=https%3A%2F%2Fshop.example')).toBe('frame-ancestors https://shop.example http://localhost:3000');
  });

  it('lets any page frame a widget registered with no allowed origins, and an unregistered one while registration is not required', async () => {
    expect(await csp(app, '?widgetId=dev')).toBe('frame-ancestors *');
    expect(await csp(app, '?widgetId=unknown')).toBe('frame-ancestors *');
  });

  it('lets no page frame an unregistered widget when registration is required, nor a request without a valid widget id', async () => {
    expect(await csp(strict, '?widgetId=unknown')).toBe("frame-ancestors 'none'");
    expect(await csp(strict, '?widgetId=shop')).toBe('frame-ancestors https://shop.example http://localhost:3000');
    expect(await csp(app, '')).toBe("frame-ancestors 'none'");
    expect(await csp(app, '?widgetId=a%3Ab')).toBe("frame-ancestors 'none'");
  });

  it('answers 503 with Retry-After, not a guessed policy, when the registry cannot be read', async () => {
    const answer = await send(`${app.origin}/widget.html?widgetId=broken`);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.headers['content-security-policy']).toBeUndefined();
  });

  it('serves the index for the root, hashed assets as immutable with ETags and 304s, and the embed script', async () => {
    const root = await send(`${app.origin}/?widgetId=shop`);
    expect(root.text).toContain('id="root"');
    expect(root.headers['cache-control']).toBe('no-cache');
    const asset = await send(`${app.origin}/assets/widget-Bip9wLo2.js`);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const again = await send(`${app.origin}/assets/widget-Bip9wLo2.js`, { headers: { 'if-none-match': String(asset.headers.etag) } });
    expect(again.status).toBe(304);
    const embed = await send(`${app.origin}/embed.js`);
    expect(embed.status).toBe(200);
    expect(embed.text).toBe('void 0');
    expect((await send(`${strict.origin}/embed.js`)).status).toBe(404);
  });

  it('lets browsers keep the unversioned embed.js five minutes, then revalidate it with its ETag until it changes', async () => {
    const embed = await send(`${app.origin}/embed.js`);
    expect(DEFAULT_EMBED_MAX_AGE_SECONDS).toBe(300);
    expect(embed.headers['cache-control']).toBe('public, max-age=300');
    expect(embed.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const etag = String(embed.headers.etag);
    const unchanged = await send(`${app.origin}/embed.js`, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers['cache-control']).toBe('public, max-age=300');

    // A release: the file is rewritten, its validator changes, the old one no longer matches.
    await writeFile(join(outside, 'embed.js'), 'void 1;');
    await utimes(join(outside, 'embed.js'), new Date(), new Date(Date.now() + 60_000));
    const released = await send(`${app.origin}/embed.js`, { headers: { 'if-none-match': etag } });
    expect(released.status).toBe(200);
    expect(released.text).toBe('void 1;');
    expect(released.headers.etag).not.toBe(etag);
  });

  it('answers 503, never cached, while embed.js is not built', async () => {
    const unbuilt = await startWidgetApp({ dir, embedFile: join(outside, 'missing-embed.js'), logLevel: 'silent' });
    apps.push(unbuilt);
    const answer = await send(`${unbuilt.origin}/embed.js`);
    expect(answer.status).toBe(503);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('serves nothing outside its folder: traversal, encoded traversal, a symbolic link out, a NUL', async () => {
    for (const path of ['/../widget-app.test.ts', '/%2e%2e/%2e%2e/etc/passwd', '/leak.txt', '/widget.html%00.js', '/missing.js']) {
      const answer = await send(`${app.origin}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.text).not.toContain('secret');
    }
  });
});
