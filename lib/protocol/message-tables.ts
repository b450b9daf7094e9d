import { COLLECTOR_LIMITS } from './collector';

/*
 * The numbers and names both readings of a bridge message agree on: the zod schemas
 * (`handshake.ts`, `wire.ts`, `host-api.ts`), which are the specification and what the
 * widget runs, and the compact checks the embed script runs (`messages.ts`, `methods.ts`),
 * which its size budget needs. Both import them from here; neither from the other. The
 * track events' text fields are tabled in the collector contract (`CLICK_FIELDS`,
 * `ANALYTICS_FIELDS`), which both readings derive from the same way.
 */

/** The host methods a widget may call, in protocol order. */
export const HOST_METHOD_NAMES = ['ping', 'getItem', 'setItem', 'removeItem', 'track', 'setAppearance', 'setUnread'] as const;

export type HostMethodName = (typeof HOST_METHOD_NAMES)[number];

/** The handshake (widget → host, and the host's ack): the nonce's length, in characters. */
export const NONCE_LENGTH = { min: 8, max: 64 } as const;

/** A call on the private port: the length of comlink's message id, in characters. */
export const MESSAGE_ID_LENGTH = { min: 1, max: 128 } as const;

/** A call on the private port: most arguments any host method takes. */
export const MAX_ARGUMENTS = 4;

/** The `track` method: most events one call may carry (one collector request's worth). */
export const MAX_TRACK_EVENTS = COLLECTOR_LIMITS.maxEventsPerRequest;

/** A reply on the private port: the longest error `message` the widget accepts, in characters. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** `setUnread`: the largest count the launcher's badge shows as a number (more reads `99+`). */
export const MAX_UNREAD_SHOWN = 99;

/** `setUnread`: the largest count the host accepts. */
export const MAX_UNREAD = 10_000;
