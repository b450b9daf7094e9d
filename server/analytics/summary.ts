import type { AnalyticsSummary, BotFigures, DailyCounters } from '../../lib/protocol/analytics-api';
import type { ConversationFigures } from './conversation-figures';
import type { DayRange } from './types';

/**
 * The summary of a range from its summed daily counters, its distinct visitors and its
 * conversation figures: the returning visitors and the per-session figures (each 0 when there
 * are no sessions); with the count of bot events the figures leave out.
 */
export function summarize(range: DayRange, counters: DailyCounters, visitors: number, conversations: ConversationFigures, bots: BotFigures): AnalyticsSummary {
  const per = (n: number): number => (counters.sessions > 0 ? n / counters.sessions : 0);
  return {
    widgetId: range.widgetId,
    from: range.from,
    to: range.to,
    ...counters,
    visitors,
    returningVisitors: Math.max(0, visitors - counters.newVisitors),
    conversionRate: per(counters.conversions),
    avgSessionDurationMs: per(counters.sessionDurationMs),
    avgMessagesPerSession: per(counters.messagesSent),
    ...conversations,
    bots,
  };
}
