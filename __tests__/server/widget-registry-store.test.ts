import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import type { EventStore } from '../../server';
import { DEFAULT_WIDGET_CONTENT } from '../../lib/protocol/widget-document';
import type { WidgetDocumentInput } from '../../lib/protocol/widget-document';
import type { PutWidget } from '../../server/registry/types';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';

const T0 = Date.UTC(2026, 0, 1);

function doc(overrides: Partial<WidgetDocumentInput> = {}): WidgetDocumentInput {
  return { name: 'Shop widget', allowedOrigins: ['https://shop.example'], content: DEFAULT_WIDGET_CONTENT, ...overrides };
}

function put(overrides: Partial<PutWidget> = {}): PutWidget {
  return { widgetId: 'shop', owner: 'acme', document: doc(), expectedRevision: null, now: T0, ...overrides };
}

describe.each(ENGINES)('the $name widget registry', ({ create }) => {
  let fixture: EngineFixture;
  let url: string;
  let store: EventStore;

  beforeAll(() => {
    fixture = create();
  });
  afterAll(async () => {
    await fixture.teardown();
  });
  beforeEach(async () => {
    url = await fixture.freshDatabaseUrl();
    store = await openStore({ databaseUrl: url });
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers null for a widget never saved', async () => {
    expect(await store.getWidget('shop')).toBeNull();
    expect(await store.listWidgets('acme')).toEqual([]);
  });

  it('creates a widget at revision 1 and reads every field back unchanged', async () => {
    const content = { ...DEFAULT_WIDGET_CONTENT, greeting: 'héllo 👋 مرحبا "quoted" \\ back' };
    const result = await store.putWidget(put({ document: doc({ content }) }));
    const expected = { id: 'shop', owner: 'acme', name: 'Shop widget', allowedOrigins: ['https://shop.example'], content, revision: 1, updatedAt: T0, webhookUrl: null, webhookSecretSet: false };
    expect(result).toEqual({ outcome: 'created', widget: expected });
    expect(await store.getWidget('shop')).toEqual(expected);
  });

  it('adds one to the revision with every save and keeps the newest document', async () => {
    await store.putWidget(put());
    const second = await store.putWidget(put({ document: doc({ name: 'Second' }), expectedRevision: 1, now: T0 + 1 }));
    expect(second).toMatchObject({ outcome: 'updated', widget: { name: 'Second', revision: 2, updatedAt: T0 + 1 } });
    const third = await store.putWidget(put({ document: doc({ name: 'Third', allowedOrigins: [] }), now: T0 + 2 }));
    expect(third).toMatchObject({ outcome: 'updated', widget: { name: 'Third', allowedOrigins: [], revision: 3, updatedAt: T0 + 2 } });
    expect(await store.getWidget('shop')).toMatchObject({ name: 'Third', revision: 3 });
  });

  it('refuses a save with a stale revision, saying the current one, and changes nothing', async () => {
    await store.putWidget(put());
    await store.putWidget(put({ expectedRevision: 1, document: doc({ name: 'Second' }) }));
    expect(await store.putWidget(put({ expectedRevision: 1, document: doc({ name: 'Lost' }) }))).toEqual({ outcome: 'stale', revision: 2 });
    expect(await store.getWidget('shop')).toMatchObject({ name: 'Second', revision: 2 });
  });

  it('refuses a conditional save of a widget that does not exist with revision 0', async () => {
    expect(await store.putWidget(put({ expectedRevision: 1 }))).toEqual({ outcome: 'stale', revision: 0 });
    expect(await store.getWidget('shop')).toBeNull();
  });

  it('never touches a widget of another owner, with or without an expected revision', async () => {
    await store.putWidget(put());
    expect(await store.putWidget(put({ owner: 'globex', document: doc({ name: 'Taken' }) }))).toEqual({ outcome: 'other_owner' });
    expect(await store.putWidget(put({ owner: 'globex', expectedRevision: 1, document: doc({ name: 'Taken' }) }))).toEqual({ outcome: 'other_owner' });
    expect(await store.getWidget('shop')).toMatchObject({ owner: 'acme', name: 'Shop widget', revision: 1 });
  });

  it('lets exactly one of several saves with the same expected revision win', async () => {
    await store.putWidget(put());
    const names = Array.from({ length: 8 }, (_, i) => `Writer ${i}`);
    const results = await Promise.all(names.map((name) => store.putWidget(put({ expectedRevision: 1, document: doc({ name }) }))));
    const winners = results.filter((r) => r.outcome === 'updated');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'stale')).toEqual(Array.from({ length: 7 }, () => ({ outcome: 'stale', revision: 2 })));
    const stored = await store.getWidget('shop');
    expect(stored?.revision).toBe(2);
    expect(winners[0]?.outcome === 'updated' && winners[0].widget.name).toBe(stored?.name);
  });

  it('creates a widget once when several unconditional saves race for a new id', async () => {
    const results = await Promise.all([1, 2, 3].map((i) => store.putWidget(put({ document: doc({ name: `Racer ${i}` }) }))));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(results.map((r) => (r.outcome === 'created' || r.outcome === 'updated' ? r.widget.revision : 0)).sort()).toEqual([1, 2, 3]);
  });

  it('lists the widgets of one owner only, by id', async () => {
    await store.putWidget(put({ widgetId: 'zeta' }));
    await store.putWidget(put({ widgetId: 'alpha' }));
    await store.putWidget(put({ widgetId: 'other', owner: 'globex' }));
    expect((await store.listWidgets('acme')).map((w) => w.id)).toEqual(['alpha', 'zeta']);
    expect((await store.listWidgets('globex')).map((w) => w.id)).toEqual(['other']);
  });

  it('keeps widgets across a reopen of the same database', async () => {
    await store.putWidget(put());
    await store.close();
    store = await openStore({ databaseUrl: url });
    expect(await store.getWidget('shop')).toMatchObject({ id: 'shop', revision: 1 });
  });

  describe('the webhook', () => {
    const HOOK = 'https://bot.shop.example/framewire';

    it('keeps the secret made by the save that set the first URL, and reports it only then', async () => {
      const first = await store.putWidget(put({ document: doc({ webhookUrl: HOOK }), newWebhookSecret: 'secret-one' }));
      expect(first).toMatchObject({ outcome: 'created', webhookSecret: 'secret-one', widget: { webhookUrl: HOOK, webhookSecretSet: true } });
      const second = await store.putWidget(put({ document: doc({ webhookUrl: `${HOOK}/v2` }), expectedRevision: 1, newWebhookSecret: 'secret-two' }));
      expect(second).toMatchObject({ outcome: 'updated', widget: { webhookUrl: `${HOOK}/v2`, webhookSecretSet: true } });
      expect(second).not.toHaveProperty('webhookSecret');
      expect(JSON.stringify(await store.getWidget('shop'))).not.toContain('secret-');
    });

    it('keeps the URL when a save leaves it out, removes it with null, and keeps the secret for a later URL', async () => {
      await store.putWidget(put({ document: doc({ webhookUrl: HOOK }) }));
      expect(await store.putWidget(put({ document: doc({ name: 'Renamed' }) }))).toMatchObject({ widget: { name: 'Renamed', webhookUrl: HOOK } });
      expect(await store.putWidget(put({ document: doc(), expectedRevision: 2 }))).toMatchObject({ widget: { webhookUrl: HOOK } });
      const removed = await store.putWidget(put({ document: doc({ webhookUrl: null }), expectedRevision: 3 }));
      expect(removed).toMatchObject({ widget: { webhookUrl: null, webhookSecretSet: true } });
      const again = await store.putWidget(put({ document: doc({ webhookUrl: HOOK }) }));
      expect(again).toMatchObject({ widget: { webhookUrl: HOOK, webhookSecretSet: true } });
      expect(again).not.toHaveProperty('webhookSecret');
    });

    it('makes no secret for a widget saved without a URL', async () => {
      const created = await store.putWidget(put({ document: doc({ webhookUrl: null }) }));
      expect(created).toMatchObject({ widget: { webhookUrl: null, webhookSecretSet: false } });
      expect(created).not.toHaveProperty('webhookSecret');
      expect(await store.putWidget(put({ expectedRevision: 0, widgetId: 'blog', document: doc({ webhookUrl: HOOK }) }))).toMatchObject({
        outcome: 'created',
        webhookSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
    });

    it("rotates the secret of the owner's widget only, without a new revision", async () => {
      await store.putWidget(put());
      expect(await store.rotateWebhookSecret('shop', 'globex', 'stolen')).toBe(false);
      expect(await store.rotateWebhookSecret('nothing', 'acme', 'new')).toBe(false);
      expect(await store.getWidget('shop')).toMatchObject({ webhookSecretSet: false });
      expect(await store.rotateWebhookSecret('shop', 'acme', 'new')).toBe(true);
      expect(await store.getWidget('shop')).toMatchObject({ webhookSecretSet: true, revision: 1 });
    });
  });

  it('rejects with STORE_CLOSED once closed', async () => {
    await store.close();
    await expect(store.getWidget('shop')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.putWidget(put())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
