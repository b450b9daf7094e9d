import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollectorApp, normalizeConfig, openStore } from '../../server';
import type { ApiKeyGrant, CollectorApp, EventRow, EventStore, ExportQuery } from '../../server';
import { openExportStream } from '../../server/export';
import { EXPORT_COLUMNS } from '../../server/store/export-rows';
import { eventRow } from '../support/event-rows';
import { parseCsv } from './support/csv';
import { ENGINES } from './support/engines';
import type { EngineFixture } from './support/engines';
import { send } from './support/http';
import type { HttpAnswer } from './support/http';
import { ingest } from './support/ingest';
import { rawSql } from './support/raw-sql';

const ACME_KEY = 'acme-key-0123456789abcdef';
const GLOBEX_KEY = 'globex-key-0123456789abcdef';
const KEYS: ApiKeyGrant[] = [
  { key: ACME_KEY, owner: 'acme', widgets: ['w-acme'] },
  { key: GLOBEX_KEY, owner: 'globex', widgets: ['w-globex'] },
];
/** 2025-06-15 12:00 UTC. */
const NOW = Date.UTC(2025, 5, 15, 12);
/** The range the tests export: 2025-06-12 .. 2025-06-14, both included. */
const FROM_MS = Date.UTC(2025, 5, 12);
const TO_MS = Date.UTC(2025, 5, 15);
const RANGE = 'from=2025-06-12&to=2025-06-14';
/** Events stored per widget: the range holds more than one page of the default 1000 rows. */
const EVENT_COUNT = 2_400;

/** Cells that a spreadsheet would run, or that CSV must quote. */
const AWKWARD = ["=HYPERLINK(\"https://evil.example\",\"x\")", '+1,2', '-3', '@SUM(A1)', 'line one\r\nline "two"', '\ttab', 'plain'];

/** Events of 240 sessions of 10 events each, spread from 2025-06-11 to 2025-06-15, with the edges of the range. */
function events(widgetId: string): EventRow[] {
  const start = Date.UTC(2025, 5, 11, 6);
  const rows: EventRow[] = [];
  for (let i = 0; i < EVENT_COUNT; i++) {
    const session = Math.floor(i / 10);
    const awkward = AWKWARD[i % AWKWARD.length] ?? 'plain';
    rows.push(
      eventRow({
        widgetId,
        eventId: `e-${String(i).padStart(5, '0')}`,
        ts: start + session * 1_500_000 + (i % 10) * 1_000,
        sessionId: `s-${session}`,
        anonymousId: `v-${session % 37}`,
        kind: i % 4 === 0 ? 'click' : 'analytics',
        name: i % 4 === 0 ? 'offer_click' : i % 3 === 0 ? 'message_sent' : 'widget_opened',
        category: i % 5 === 0 ? awkward : null,
        offerId: i % 4 === 0 ? 'offer-1' : null,
        userAgent: i % 2 === 0 ? awkward : 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120',
        properties: i % 3 === 0 ? { note: awkward, n: i, nested: { ok: true } } : null,
        context: i % 7 === 0 ? { page: { url: 'https://shop.example/?a=1,b=2' } } : null,
      }),
    );
  }
  // The range's edges: the first millisecond of `from` is in, the first of the day after `to` is out.
  rows.push(eventRow({ widgetId, eventId: 'edge-in', ts: FROM_MS, sessionId: 'edge-in' }));
  rows.push(eventRow({ widgetId, eventId: 'edge-out', ts: TO_MS, sessionId: 'edge-out' }));
  rows.push(eventRow({ widgetId, eventId: 'edge-last', ts: TO_MS - 1, sessionId: 'edge-last' }));
  return rows;
}

/** A stored event as the export writes it: its table's columns, JSON parsed. */
const eventRecord = (row: EventRow) => ({
  widget_id: row.widgetId,
  event_id: row.eventId,
  kind: row.kind,
  name: row.name,
  category: row.category,
  session_id: row.sessionId,
  anonymous_id: row.anonymousId,
  user_id: row.userId,
  question_id: row.questionId,
  offer_id: row.offerId,
  button_variant_id: row.buttonVariantId,
  ts: row.ts,
  received_at: row.receivedAt,
  batch_id: row.batchId,
  ip: row.ip,
  user_agent: row.userAgent,
  properties: row.properties,
  context: row.context,
  bot: row.bot ? 1 : 0,
});

const compareText = (a: unknown, b: unknown): number => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
/** Rows sorted by event id (code unit order), to compare exports whatever the store's collation. */
const byEventId = <T extends { event_id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => compareText(a.event_id, b.event_id));

/** Columns of `sessions` a driver may hand back as strings (PostgreSQL `BIGINT`). */
const BIGINT_SESSION_COLUMNS = new Set(['first_ts', 'last_ts', 'user_ts', 'source_ts', 'device_ts']);

/** The stored sessions of a widget started in the range, read straight from the table. */
async function storedSessions(databaseUrl: string, widgetId: string): Promise<Record<string, unknown>[]> {
  const all = await rawSql(databaseUrl, `SELECT ${EXPORT_COLUMNS.sessions.join(', ')} FROM sessions WHERE widget_id = '${widgetId}'`);
  return all
    .map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, BIGINT_SESSION_COLUMNS.has(column) && value !== null ? Number(value) : value])))
    .filter((row) => (row.first_ts as number) >= FROM_MS && (row.first_ts as number) < TO_MS)
    .sort((a, b) => (a.first_ts as number) - (b.first_ts as number) || String(a.session_id).localeCompare(String(b.session_id)));
}

/** How a cell reads in the CSV: the documented format, written out independently of the collector's writer. */
const csvText = (value: unknown): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

const ndjsonRows = (text: string): unknown[] => {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
};

describe.each(ENGINES)('the export on the $name store', ({ create }) => {
  let fixture: EngineFixture;
  let databaseUrl: string;
  let store: EventStore;
  let collector: CollectorApp;
  let url: string;
  let pages: ExportQuery[];
  let stored: EventRow[];

  const get = (path: string, key: string | null = ACME_KEY): Promise<HttpAnswer> =>
    send(`${url}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    fixture = create();
    databaseUrl = await fixture.freshDatabaseUrl();
    store = await openStore({ databaseUrl });
    stored = events('w-acme');
    await ingest(store, stored);
    await ingest(store, events('w-globex'));
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await fixture.teardown();
  });

  beforeEach(async () => {
    pages = [];
    // The real store, with each page read recorded.
    const counted: EventStore = {
      ...store,
      exportRows: (query) => {
        pages.push(query);
        return store.exportRows(query);
      },
    };
    collector = createCollectorApp(normalizeConfig({ logLevel: 'silent', apiKeys: KEYS, now: () => NOW, retention: { schedule: false } }), counted, () => false);
    await collector.app.listen({ host: '127.0.0.1', port: 0 });
    const address = collector.app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterEach(async () => {
    await collector.app.close();
  });

  it('exports exactly the stored events of the range as ndjson, page after page', async () => {
    const answer = await get(`/api/widgets/w-acme/export?${RANGE}&table=events&format=ndjson`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="w-acme-events-2025-06-12-2025-06-14.ndjson"');
    expect(answer.headers['cache-control']).toBe('no-store');
    const expected = (await store.listEvents({ widgetId: 'w-acme', limit: 100_000 })).filter((row) => row.ts >= FROM_MS && row.ts < TO_MS).map(eventRecord);
    expect(expected.length).toBeGreaterThan(1_500);
    expect(expected.map((row) => row.event_id)).toContain('edge-in');
    expect(expected.map((row) => row.event_id)).not.toContain('edge-out');
    // Events come in the order of their id, as the store compares them (its collation).
    const exported = ndjsonRows(answer.text) as ReturnType<typeof eventRecord>[];
    expect(byEventId(exported)).toEqual(byEventId(expected));
    // Read in pages of 1000 rows, each after the last row of the one before.
    expect(pages.length).toBe(Math.ceil(expected.length / 1000));
    expect(pages.every((page) => page.limit === 1000)).toBe(true);
    expect(pages[0]?.after).toBeNull();
    expect(pages[1]?.after).toEqual({ time: exported[999]?.ts, id: exported[999]?.event_id });
  });

  it('exports the events as CSV with a header line that parses back to the stored rows, formulas neutralised', async () => {
    const answer = await get(`/api/widgets/w-acme/export?${RANGE}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="w-acme-events-2025-06-12-2025-06-14.csv"');
    const [header, ...lines] = parseCsv(answer.text);
    expect(header).toEqual([...EXPORT_COLUMNS.events]);
    const expected = (await store.listEvents({ widgetId: 'w-acme', limit: 100_000 })).filter((row) => row.ts >= FROM_MS && row.ts < TO_MS).map(eventRecord);
    const expectedLines = byEventId(expected).map((row) => EXPORT_COLUMNS.events.map((column) => csvText(row[column as keyof typeof row])));
    const eventIdColumn = EXPORT_COLUMNS.events.indexOf('event_id');
    expect([...lines].sort((a, b) => compareText(a[eventIdColumn], b[eventIdColumn]))).toEqual(expectedLines);
    expect(answer.text).toContain(`,"'=HYPERLINK(""https://evil.example"",""x"")",`);
    expect(answer.text).toContain(",'-3,");
    expect(answer.text.split('\r\n').length).toBeGreaterThan(expected.length);
  });

  it('exports exactly the stored sessions started in the range, as ndjson and as CSV', async () => {
    const expected = await storedSessions(databaseUrl, 'w-acme');
    expect(expected.length).toBeGreaterThan(100);
    const ndjson = await get(`/api/widgets/w-acme/export?${RANGE}&table=sessions&format=ndjson`);
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers['content-disposition']).toBe('attachment; filename="w-acme-sessions-2025-06-12-2025-06-14.ndjson"');
    expect(ndjsonRows(ndjson.text)).toEqual(expected);
    const csv = await get(`/api/widgets/w-acme/export?${RANGE}&table=sessions&format=csv`);
    const [header, ...lines] = parseCsv(csv.text);
    expect(header).toEqual([...EXPORT_COLUMNS.sessions]);
    expect(lines).toEqual(expected.map((row) => EXPORT_COLUMNS.sessions.map((column) => csvText(row[column]))));
  });

  it('joins many small pages into the same rows as one big page', async () => {
    const read = async (limit: number) => {
      const rows = [];
      let after: ExportQuery['after'] = null;
      let count = 0;
      do {
        const page = await store.exportRows({ widgetId: 'w-acme', table: 'events', fromMs: FROM_MS, toMs: TO_MS, after, limit });
        rows.push(...page.rows);
        after = page.next;
        count += 1;
      } while (after !== null);
      return { rows, count };
    };
    const whole = await read(100_000);
    const paged = await read(7);
    expect(whole.count).toBe(1);
    expect(paged.count).toBe(Math.ceil(whole.rows.length / 7) + (whole.rows.length % 7 === 0 ? 1 : 0));
    expect(paged.rows).toEqual(whole.rows);
  });

  it('reads the next page only as the reader takes the text: a stalled download holds a few pages, not the export', async () => {
    const read: number[] = [];
    const counted = {
      exportRows: (query: ExportQuery) => {
        read.push(query.limit);
        return store.exportRows(query);
      },
    };
    const query: ExportQuery = { widgetId: 'w-acme', table: 'events', fromMs: FROM_MS, toMs: TO_MS, after: null, limit: 5 };
    const stream = await openExportStream(counted, query, 'csv');
    const totalPages = Math.ceil((await store.exportRows({ ...query, limit: 100_000 })).rows.length / 5);
    // Nobody reads: asked to start, the stream fills its buffer (16 KB) and stops asking the store.
    stream.read(0);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(totalPages / 4);
    let text = '';
    stream.setEncoding('utf8');
    for await (const chunk of stream) text += chunk as string;
    expect(read.length).toBeGreaterThanOrEqual(totalPages);
    expect(parseCsv(text)).toHaveLength(1 + (await store.exportRows({ ...query, limit: 100_000 })).rows.length);
  });

  it('answers an empty range with the header line only, and ndjson with nothing', async () => {
    const csv = await get('/api/widgets/w-acme/export?from=2020-01-01&to=2020-01-31');
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(`${EXPORT_COLUMNS.events.join(',')}\r\n`);
    const ndjson = await get('/api/widgets/w-acme/export?from=2020-01-01&to=2020-01-31&format=ndjson');
    expect(ndjson.status).toBe(200);
    expect(ndjson.text).toBe('');
  });

  it('answers 401 without a key or with an unknown one, and 404 for a widget the key may not reach', async () => {
    const missing = await get(`/api/widgets/w-acme/export?${RANGE}`, null);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="framewire"');
    expect((await get(`/api/widgets/w-acme/export?${RANGE}`, 'nobody-key-0123456789abcdef')).status).toBe(401);
    const other = await get(`/api/widgets/w-acme/export?${RANGE}`, GLOBEX_KEY);
    expect(other.status).toBe(404);
    expect(other.json).toEqual({ error: 'not found' });
    expect(pages).toEqual([]);
  });

  it('answers 400 naming the parameter for a bad table, format or range', async () => {
    const cases: [string, RegExp][] = [
      ['table=visitors', /^bad query: table: must be one of events, sessions/],
      ['format=xlsx', /^bad query: format: must be one of csv, ndjson/],
      ['table=events&table=sessions', /^bad query: table/],
      ['from=2025-06-14&to=2025-06-12', /^bad query: from: must not be after to/],
      ['from=2025-02-30', /^bad query: from: must be a UTC day/],
      ['from=2020-01-01&to=2025-01-01', /^bad query: from: the range spans/],
    ];
    for (const [query, reason] of cases) {
      const answer = await get(`/api/widgets/w-acme/export?${query}`);
      expect(answer.status, query).toBe(400);
      expect((answer.json as { error: string }).error, query).toMatch(reason);
    }
    expect(pages).toEqual([]);
  });
});
