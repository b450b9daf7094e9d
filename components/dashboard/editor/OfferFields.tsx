import { DEFAULT_VARIANT_ID } from '../../../lib/protocol/widget-document';
import { offerPath, variantPath } from './field-paths';
import type { OfferForm, WidgetForm } from './form-model';
import { addVariant, canAddVariant, removeVariant, updateOffer, updateVariant } from './form-ops';
import { ListProblems, TextField } from './Fields';

/** Props of {@link OfferFields}. */
export interface OfferFieldsProps {
  offer: OfferForm;
  question: number;
  answer: number;
  change: (edit: (form: WidgetForm) => WidgetForm) => void;
}

/** An answer's offer: its id, label, link, and the button variants that compete. */
export function OfferFields({ offer, question, answer, change }: OfferFieldsProps) {
  const base = offerPath(question, answer);
  return (
    <div className="fwd-offer" data-testid="offer-fields">
      <div className="fwd-editor__row">
        <TextField label="Offer id" path={`${base}.offerId`} value={offer.offerId} code onChange={(offerId) => change((f) => updateOffer(f, question, answer, { offerId }))} />
        <TextField label="Offer label" path={`${base}.label`} value={offer.label} onChange={(label) => change((f) => updateOffer(f, question, answer, { label }))} />
      </div>
      <TextField
        label="Link (optional)"
        path={`${base}.url`}
        type="url"
        code
        value={offer.url}
        placeholder="https://shop.example/offer"
        onChange={(url) => change((f) => updateOffer(f, question, answer, { url }))}
      />
      <div className="fwd-variants">
        <p className="fwd-field__label">Button variants</p>
        <p className="fwd-field__hint">
          {offer.variants.length === 0
            ? `None: one button labelled with the offer's label (clicks count as variant "${DEFAULT_VARIANT_ID}").`
            : "The offer's label is said above a button; each visitor always sees the same variant's button."}
        </p>
        <ListProblems path={`${base}.variants`} />
        {offer.variants.map((variant, v) => (
          <div key={variant.key} className="fwd-editor__row fwd-editor__row--entry" data-testid="variant-fields">
            <TextField
              label={`Variant ${v + 1} id`}
              path={`${variantPath(question, answer, v)}.buttonVariantId`}
              code
              value={variant.buttonVariantId}
              onChange={(buttonVariantId) => change((f) => updateVariant(f, question, answer, v, { buttonVariantId }))}
            />
            <TextField
              label={`Variant ${v + 1} button`}
              path={`${variantPath(question, answer, v)}.label`}
              value={variant.label}
              onChange={(label) => change((f) => updateVariant(f, question, answer, v, { label }))}
            />
            <button type="button" className="fwd-button fwd-button--ghost fwd-button--small" onClick={() => change((f) => removeVariant(f, question, answer, v))}>
              Remove<span className="fwd-visually-hidden"> variant {v + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="fwd-button fwd-button--small"
          disabled={!canAddVariant(offer)}
          onClick={() => change((f) => addVariant(f, question, answer))}
        >
          Add variant
        </button>
      </div>
    </div>
  );
}
