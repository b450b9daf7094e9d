/** How much longer than the statement deadline the client waits for a silent connection. */
export const SILENCE_GRACE_MS = 5000;
