import type { OfferVariantFigures, OffersReport } from '../../lib/protocol/analytics-api';
import { formatCount, formatRate } from './format';
import type { OfferLabels } from './offer-labels';

/** Props of {@link OffersPanel}. */
export interface OffersPanelProps {
  data: OffersReport | null;
  /** The last refresh failed (the figures shown, if any, are older). */
  failed: boolean;
  /** The widget's labels, shown under the ids (offers since removed from the widget have none). */
  labels?: OfferLabels;
}

/** The report's rows, one group per offer, in the report's order (offer, then variant). */
function byOffer(rows: readonly OfferVariantFigures[]): { offerId: string; variants: OfferVariantFigures[] }[] {
  const groups: { offerId: string; variants: OfferVariantFigures[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last?.offerId === row.offerId) last.variants.push(row);
    else groups.push({ offerId: row.offerId, variants: [row] });
  }
  return groups;
}

/** What visitors read, under an id. */
function Label({ text }: { text: string | undefined }) {
  return text === undefined ? null : <span className="fwd-offers__label">{text}</span>;
}

/** Per offer and button variant over the range: how often it was shown, clicked, and the click-through rate. */
export function OffersPanel({ data, failed, labels }: OffersPanelProps) {
  return (
    <section className="fwd-panel fwd-panel--offers" data-testid="offers-panel" aria-labelledby="fwd-offers-title">
      <h2 id="fwd-offers-title" className="fwd-panel__title">
        Offers
      </h2>
      <p className="fwd-muted fwd-panel__hint">Shown: the open widget showed the offer (once per page view). CTR: clicks per time shown.</p>
      {data === null ? (
        <p className="fwd-muted" role={failed ? 'alert' : 'status'}>
          {failed ? 'Could not load the offers.' : 'Loading…'}
        </p>
      ) : (
        <>
          {failed && <p className="fwd-muted fwd-active__stale">Could not refresh the offers: these are from the last update. Retrying…</p>}
          {data.offers.length === 0 ? (
            <p className="fwd-muted">No offer was shown or clicked in this range.</p>
          ) : (
            <div className="fwd-table-wrap">
              <table className="fwd-table fwd-offers">
                <thead>
                  <tr>
                    <th scope="col">Offer</th>
                    <th scope="col">Variant</th>
                    <th scope="col">Shown</th>
                    <th scope="col">Clicked</th>
                    <th scope="col">CTR</th>
                  </tr>
                </thead>
                <tbody>
                  {byOffer(data.offers).map((group) =>
                    group.variants.map((row, index) => (
                      <tr key={`${row.offerId}\u0000${row.buttonVariantId}`} data-testid="offer-row" data-offer={row.offerId} data-variant={row.buttonVariantId}>
                        {index === 0 && (
                          <th scope="rowgroup" rowSpan={group.variants.length} className="fwd-offers__offer">
                            <code>{group.offerId}</code>
                            <Label text={labels?.get(group.offerId)?.label} />
                          </th>
                        )}
                        <td className="fwd-offers__variant">
                          <code>{row.buttonVariantId}</code>
                          <Label text={labels?.get(row.offerId)?.variants.get(row.buttonVariantId)} />
                        </td>
                        <td data-figure="shown">{formatCount(row.shown)}</td>
                        <td data-figure="clicked">{formatCount(row.clicked)}</td>
                        <td data-figure="ctr">{row.shown === 0 ? '–' : formatRate(row.clickThroughRate)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
