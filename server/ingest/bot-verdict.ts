import { isbot } from 'isbot';

/** What decides whether a batch's events come from a bot. */
export interface BotVerdictInput {
  /** The envelope's `automated` (the sending page's `navigator.webdriver`). */
  automated: boolean;
  /** `CollectorConfig.keepBots`: bot events count like any other, so none is marked. */
  keepBots: boolean;
}

/**
 * Tells, per event of one batch, whether it is a bot event to leave out of the analytics,
 * from the user agent stored with the event (its own, else the request's `User-Agent`: see
 * `validateEvents`).
 *
 * 1. The collector keeps bots → never.
 * 2. The batch says its page runs in an automated browser (`automated: true`) → every event.
 * 3. Else the user agent is a known crawler, tool or headless browser (`isbot`, e.g.
 *    `HeadlessChrome/…`, `Googlebot`, `curl`) → that event. No user agent at all is not a bot:
 *    the embed always sends one, and a missing header says nothing about who sent the events.
 *
 * `isbot` runs one large regular expression: its answers are kept per user agent for the
 * batch, whose events nearly always share one.
 */
export function botVerdict({ automated, keepBots }: BotVerdictInput): (userAgent: string | null) => boolean {
  if (keepBots) return () => false;
  if (automated) return () => true;
  const known = new Map<string, boolean>();
  return (userAgent) => {
    if (userAgent === null) return false;
    let answer = known.get(userAgent);
    if (answer === undefined) {
      answer = isbot(userAgent);
      known.set(userAgent, answer);
    }
    return answer;
  };
}
