/**
 * The offers already shown in this page view: `offer_shown` is recorded once per offer per
 * page view, so closing and reopening the panel, or a new config, does not count it again.
 */
export class OfferViews {
  readonly #seen = new Set<string>();

  /** True the first time an offer is seen; false after. */
  firstView(offerId: string): boolean {
    if (this.#seen.has(offerId)) return false;
    this.#seen.add(offerId);
    return true;
  }
}
