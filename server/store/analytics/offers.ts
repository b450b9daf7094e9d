/**
 * The offers rollup (migration 4): offers shown and clicked per widget, UTC day, offer and
 * button variant, written at ingest with the other daily rollups and read by `…/offers`.
 * The same SQL on both engines.
 */
import type { DailyDeltas } from '../../analytics/daily-deltas';
import { dayBounds } from '../../analytics/days';
import { clickThroughRate } from '../../analytics/offer-counts';
import type { DayRange } from '../../analytics/types';
import type { OffersReport, OfferVariantFigures } from '../../../lib/protocol/analytics-api';
import { exec } from '../sql-runner';
import type { Statement } from '../sql-runner';
import type { QueryRows } from './analytics-reader';

/**
 * The table of migration 4. Like the other daily rollups it holds no visitor id, so it is kept
 * for ever and survives the privacy delete; `shard` spreads concurrent writers over rows.
 */
export function offersSchemaSql(bigint: 'INTEGER' | 'BIGINT'): string {
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
      );`;
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
