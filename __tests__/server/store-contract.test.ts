import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import type { EventRow, EventStore } from '../../server';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { uuidv7 } from '../support/events';

function row(overrides: Partial<EventRow> = {}): EventRow {
  return {
    widgetId: 'demo',
    eventId: uuidv7(),
    kind: 'analytics',
    name: 'widget_opened',
    category: 'engagement',
    sessionId: 'session-1',
    anonymousId: 'anon-1',
    userId: null,
    questionId: null,
    offerId: null,
    buttonVariantId: null,
    ts: 1_730_956_800_000,
    receivedAt: 1_730_956_801_000,
    batchId: 'batch-1',
    ip: '203.0.113.0',
    userAgent: 'Mozilla/5.0',
    properties: { label: 'héllo 👋 مرحبا', nested: { list: [1, true, null] } },
    context: { page: 'https://shop.example/', utm: { source: 'news' } },
    bot: false,
    ...overrides,
  };
}

const rows = (count: number, overrides: Partial<EventRow> = {}) => Array.from({ length: count }, () => row(overrides));

describe.each(ENGINES)('the $name event store', ({ create }) => {
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

  it('stores a batch and reads every column back unchanged', async () => {
    const batch = [row({ ts: 1 }), row({ ts: 2, kind: 'click', name: 'offer_click', offerId: 'o', questionId: 'q', buttonVariantId: 'b', properties: null, context: null, bot: true })];
    expect(await store.insertEvents(batch)).toEqual({ inserted: batch.map((r) => r.eventId), duplicates: [] });
    expect(await store.listEvents({ widgetId: 'demo' })).toEqual(batch);
    expect(await store.listEvents({ widgetId: 'demo', kind: 'click' })).toEqual([batch[1]]);
  });

  it('reports already stored events as duplicates and keeps the first version', async () => {
    const first = rows(3);
    await store.insertEvents(first);
    const retried = [...first.map((r) => ({ ...r, name: 'changed' })), row()];
    const result = await store.insertEvents(retried);
    expect(result.duplicates).toEqual(first.map((r) => r.eventId));
    expect(result.inserted).toEqual([retried[3]?.eventId]);
    const stored = await store.listEvents({ widgetId: 'demo' });
    expect(stored.filter((r) => r.name === 'changed')).toEqual([]);
    expect(stored).toHaveLength(4);
  });

  it('counts an id repeated within one call once as inserted, then as duplicate', async () => {
    const one = row();
    expect(await store.insertEvents([one, { ...one }])).toEqual({ inserted: [one.eventId], duplicates: [one.eventId] });
    expect(await store.listEvents({ widgetId: 'demo' })).toHaveLength(1);
  });

  it('keeps the same event id apart under different widgets', async () => {
    const one = row();
    await store.insertEvents([one]);
    expect(await store.insertEvents([{ ...one, widgetId: 'other' }])).toEqual({ inserted: [one.eventId], duplicates: [] });
  });

  it('stores nothing of a batch when one row cannot be stored', async () => {
    const batch = [...rows(4), row({ kind: 'bogus' as EventRow['kind'] })];
    await expect(store.insertEvents(batch)).rejects.toMatchObject({ name: 'CollectorError', code: 'STORAGE_UNAVAILABLE' });
    expect(await store.listEvents({ widgetId: 'demo' })).toEqual([]);
  });

  it('stores identical batches arriving concurrently exactly once', async () => {
    const batch = rows(10);
    const results = await Promise.all(Array.from({ length: 6 }, () => store.insertEvents(batch)));
    const inserted = results.flatMap((r) => r.inserted);
    expect(inserted.sort()).toEqual(batch.map((r) => r.eventId).sort());
    expect(results.flatMap((r) => r.duplicates)).toHaveLength(50);
    expect(await store.listEvents({ widgetId: 'demo' })).toHaveLength(10);
  });

  it('keeps events and skips applied migrations when opened again', async () => {
    const batch = rows(2);
    await store.insertEvents(batch);
    await store.close();
    store = await openStore({ databaseUrl: url });
    expect(await store.insertEvents(batch)).toEqual({ inserted: [], duplicates: batch.map((r) => r.eventId) });
  });

  it('accepts an empty batch without touching storage', async () => {
    expect(await store.insertEvents([])).toEqual({ inserted: [], duplicates: [] });
  });

  it('answers ping while open and rejects every call with STORE_CLOSED after close', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.insertEvents(rows(1))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('limits reads to the requested number of rows, oldest first', async () => {
    await store.insertEvents([row({ ts: 3 }), row({ ts: 1 }), row({ ts: 2 })]);
    const read = await store.listEvents({ widgetId: 'demo', limit: 2 });
    expect(read.map((r) => r.ts)).toEqual([1, 2]);
  });
});
