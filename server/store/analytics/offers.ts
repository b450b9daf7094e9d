/**
 * The offers rollup (migration 4): offers shown and clicked per widget, UTC day, offer and
 * button variant, written at ingest with the other daily rollups and read by `…/offers`.
 * The same SQL on both engines, but for how the migration's backfill reads JSON.
 */
import type { DailyDeltas } from '../../analytics/daily-deltas';
import { DAY_MS, dayBounds } from '../../analytics/days';
import { clickThroughRate } from '../../analytics/offer-counts';
import type { DayRange } from '../../analytics/types';
import type { OffersReport, OfferVariantFigures } from '../../../lib/protocol/analytics-api';
import { CLICK_FIELDS, OFFER_SHOWN_EVENT } from '../../../lib/protocol/collector';
import { DEFAULT_VARIANT_ID } from '../../../lib/protocol/widget-limits';
import { exec } from '../sql-runner';
import type { Statement } from '../sql-runner';
import type { QueryRows } from './analytics-reader';

/** How each engine reads a string property of `properties` (null when absent or not a string). */
const STRING_PROPERTY = {
  sqlite: (key: string) => `CASE WHEN json_type(properties, '$.${key}') = 'text' THEN json_extract(properties, '$.${key}') END`,
  postgres: (key: string) => `CASE WHEN jsonb_typeof(properties -> '${key}') = 'string' THEN properties ->> '${key}' END`,
} as const;

const ID_MAX = CLICK_FIELDS.offerId.max;

/** A usable id (see `offerCountOf`), or NULL. */
const usable = (expression: string): string => `CASE WHEN length(${expression}) BETWEEN 1 AND ${ID_MAX} THEN ${expression} END`;

/**
 * Migration 4: the table, then the counts of the raw events already stored (the last 90 days
 * by default), so that the report of those days matches their clicks. Like the other daily
 * rollups it holds no visitor id, so it is kept for ever and survives the privacy delete;
 * `shard` spreads concurrent writers over rows (the backfill writes shard 0).
 *
 * The backfill applies the rule of `offerCountOf` in SQL. One difference: SQL's `length`
 * counts code points, JavaScript's UTF-16 units, so an offer id of 65–128 code points with
 * characters outside the BMP may be counted here though ingest would skip it.
 */
export function offersSchemaSql(engine: 'sqlite' | 'postgres'): string {
  const bigint = engine === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const property = STRING_PROPERTY[engine];
  const variant = (expression: string) => `COALESCE(${usable(expression)}, '${DEFAULT_VARIANT_ID}')`;
  return `
      CREATE TABLE daily_offers (
        widget_id          TEXT    NOT NULL,
        day                INTEGER NOT NULL,
        offer_id           TEXT    NOT NULL,
        button_variant_id  TEXT    NOT NULL,
        shard              INTEGER NOT NULL,
        shown              ${bigint} NOT NULL,
        clicked            ${bigint} NOT NULL,
        PRIMARY KEY (widget_id, day, offer_id, button_variant_id, shard)
      );
      INSERT INTO daily_offers (widget_id, day, offer_id, button_variant_id, shard, shown, clicked)
      SELECT widget_id, day, offer_id, button_variant_id, 0, SUM(shown), SUM(clicked) FROM (
        SELECT widget_id, ts / ${DAY_MS} AS day, offer_id, ${variant('button_variant_id')} AS button_variant_id, 0 AS shown, 1 AS clicked
        FROM events WHERE kind = 'click' AND ${usable('offer_id')} IS NOT NULL
        UNION ALL
        SELECT widget_id, ts / ${DAY_MS}, ${usable('offer')}, ${variant('variant')}, 1, 0
        FROM (SELECT widget_id, ts, ${property('offerId')} AS offer, ${property('buttonVariantId')} AS variant
              FROM events WHERE kind = 'analytics' AND name = '${OFFER_SHOWN_EVENT}') AS shown_events
        WHERE ${usable('offer')} IS NOT NULL
      ) AS offer_events
      GROUP BY widget_id, day, offer_id, button_variant_id;`;
}

const UPSERT_OFFER = `INSERT INTO daily_offers (widget_id, day, offer_id, button_variant_id, shard, shown, clicked) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (widget_id, day, offer_id, button_variant_id, shard) DO UPDATE SET
  shown = daily_offers.shown + excluded.shown, clicked = daily_offers.clicked + excluded.clicked`;

/** The upserts that add a transaction's offer counts to its shard's rows. */
export function offerWrites(offers: DailyDeltas['offers'], shard: number): Statement[] {
  return [...offers.values()].map(({ widgetId, day, offerId, variantId, shown, clicked }) =>
    exec(UPSERT_OFFER, widgetId, day, offerId, variantId, shard, shown, clicked),
  );
}

/** Code-unit order, the same whatever the database's collation (PostgreSQL's may be locale-aware). */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** `…/offers`: the range's shards and days summed per offer and variant, ordered by offer then variant id. */
export async function readOffers(query: QueryRows, range: DayRange): Promise<OffersReport> {
  const { first, last } = dayBounds(range);
  const found = await query(
    `SELECT offer_id, button_variant_id, SUM(shown) AS shown, SUM(clicked) AS clicked FROM daily_offers
     WHERE widget_id = ? AND day >= ? AND day <= ? GROUP BY offer_id, button_variant_id`,
    [range.widgetId, first, last],
  );
  const offers: OfferVariantFigures[] = found.map((r) => {
    const shown = Number(r.shown);
    const clicked = Number(r.clicked);
    return { offerId: String(r.offer_id), buttonVariantId: String(r.button_variant_id), shown, clicked, clickThroughRate: clickThroughRate(shown, clicked) };
  });
  offers.sort((a, b) => compare(a.offerId, b.offerId) || compare(a.buttonVariantId, b.buttonVariantId));
  return { widgetId: range.widgetId, from: range.from, to: range.to, offers };
}
