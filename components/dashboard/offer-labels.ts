import { DEFAULT_VARIANT_ID, offersOf } from '../../lib/protocol/widget-document';
import type { WidgetContent } from '../../lib/protocol/widget-document';

/** What visitors read for each offer and button variant, by id: the offers report has ids only. */
export type OfferLabels = ReadonlyMap<string, { label: string; variants: ReadonlyMap<string, string> }>;

/**
 * The labels of a widget's content: an offer's label, and each variant's button label (the
 * `default` variant of an offer without variants is its one button, labelled with the offer's label).
 */
export function offerLabelsOf(content: WidgetContent): OfferLabels {
  return new Map(
    offersOf(content).map(({ offer }) => [
      offer.offerId,
      {
        label: offer.label,
        variants: new Map(offer.variants ? offer.variants.map((variant) => [variant.buttonVariantId, variant.label]) : [[DEFAULT_VARIANT_ID, offer.label]]),
      },
    ]),
  );
}
