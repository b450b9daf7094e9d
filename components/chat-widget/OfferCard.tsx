import type { Offer } from '../../lib/protocol/widget-document';
import type { ShownVariant } from '../../lib/chat-widget/variant';

export interface OfferCardProps {
  offer: Offer;
  /** The variant the visitor sees. */
  variant: ShownVariant;
  onClick(): void;
}

/**
 * An offer: one button labelled with the offer's label; with variants, the offer's label as
 * a bubble above a button labelled with the visitor's variant.
 */
export function OfferCard({ offer, variant, onClick }: OfferCardProps) {
  const hasVariants = (offer.variants?.length ?? 0) > 0;
  return (
    <div className="fw-offer-card" data-offer-id={offer.offerId}>
      {hasVariants && <p className="fw-bubble">{offer.label}</p>}
      <button
        type="button"
        className="fw-offer"
        data-testid="offer-button"
        data-offer-id={offer.offerId}
        data-variant-id={variant.buttonVariantId}
        onClick={onClick}
      >
        {variant.label}
      </button>
    </div>
  );
}
