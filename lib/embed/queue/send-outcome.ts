/**
 * How the flush loop goes on after one batch. Plain numbers in a plain `as const` object
 * (read-only by its type), so that the minifier reduces each use to a digit.
 */
export const SEND_OUTCOME = {
  /** The send failed (a backoff is armed, or the queue was destroyed): the loop stops. */
  stop: 0,
  /** The batch was confirmed: the loop goes on only while a full batch waits. */
  ifFull: 1,
  /** The batch was split, or confirmed only in part: the loop goes on at once. */
  again: 2,
} as const;

/** One of {@link SEND_OUTCOME}'s values. */
export type SendOutcome = (typeof SEND_OUTCOME)[keyof typeof SEND_OUTCOME];
