import { OFFER_SHOWN_EVENT } from '../protocol/collector';
import { BRIDGE_EVENT } from '../protocol/delivery-health';
import type { BridgeReport } from '../protocol/delivery-health';
import type { TrackEvent } from '../protocol/host-api';
import { uuidv7 } from '../util/ids';
import type { EventOutbox } from './event-outbox';

/** What a click on an offer records. */
export interface OfferClick {
  offerId: string;
  questionId?: string | undefined;
  buttonVariantId?: string | undefined;
}

/** Analytics event names the widget sends by itself. */
export const WIDGET_EVENTS = {
  loaded: 'widget_loaded',
  opened: 'widget_opened',
  closed: 'widget_closed',
  messageSent: 'message_sent',
  offerClicked: 'offer_clicked',
  /** Once per offer per page view, when the open panel shows it. */
  offerShown: OFFER_SHOWN_EVENT,
  /** The visitor picked a survey answer. */
  surveyAnswered: 'survey_answered',
  error: 'error',
} as const;

type Pending = (sessionId: string) => TrackEvent;

/** Events kept while the session id is not known yet. */
const MAX_PENDING = 200;

/**
 * Turns what happens in the widget into events. Each event gets its id (UUIDv7) and
 * timestamp when it happens; events from before the session id is known wait for it.
 * The session id, kept in the host page, also serves as the anonymous visitor id.
 */
export class Tracker {
  readonly #outbox: Pick<EventOutbox, 'enqueue'>;
  readonly #bridge: { take(): BridgeReport | null } | null;
  #sessionId: string | null = null;
  #pending: Pending[] = [];

  /**
   * @param bridge The bridge figures (`BridgeFigures`), on the enhanced path: a `$bridge`
   *   report goes along with the events the widget records anyway, at most once a minute.
   */
  constructor(outbox: Pick<EventOutbox, 'enqueue'>, bridge: { take(): BridgeReport | null } | null = null) {
    this.#outbox = outbox;
    this.#bridge = bridge;
  }

  /** Sets the session id (once); sends `widget_loaded` and the events that waited for it. */
  setSessionId(sessionId: string): void {
    if (this.#sessionId !== null) return;
    this.#sessionId = sessionId;
    this.event(WIDGET_EVENTS.loaded, {}, 'lifecycle');
    const pending = this.#pending;
    this.#pending = [];
    for (const make of pending) this.#outbox.enqueue(make(sessionId));
  }

  /** An offer click (the revenue event) and its `offer_clicked` analytics twin. */
  click(offer: OfferClick): void {
    const { offerId, questionId, buttonVariantId } = offer;
    this.#record((id, timestamp, sessionId) => ({
      type: 'click',
      id,
      timestamp,
      sessionId,
      offerId,
      ...(questionId !== undefined && { questionId }),
      ...(buttonVariantId !== undefined && { buttonVariantId }),
    }));
    this.event(WIDGET_EVENTS.offerClicked, { ...offer }, 'conversion');
  }

  /** An analytics event; `properties` must be small plain JSON. */
  event(name: string, properties: Record<string, unknown> = {}, category = 'engagement'): void {
    this.#record((id, timestamp, sessionId) => ({
      type: 'analytics',
      id,
      timestamp,
      sessionId,
      anonymousId: sessionId,
      name,
      category,
      properties,
    }));
  }

  #record(make: (id: string, timestamp: number, sessionId: string) => TrackEvent): void {
    const timestamp = Date.now();
    const id = uuidv7(timestamp);
    const build: Pending = (sessionId) => make(id, timestamp, sessionId);
    if (this.#sessionId === null) {
      // Bounded like the outbox: a session id that never comes must not grow memory.
      if (this.#pending.push(build) > MAX_PENDING) this.#pending.shift();
      return;
    }
    this.#outbox.enqueue(build(this.#sessionId));
    // Never a request of its own: the report rides along with an event being recorded.
    const report = this.#bridge?.take();
    if (report) this.event(BRIDGE_EVENT, { ...report }, 'lifecycle');
  }
}
