import type { SessionRecord } from '../../analytics/sessionize';

/** Columns of the `sessions` table, in insert order (shared by both engines). */
export const SESSION_COLUMNS = [
  'widget_id',
  'session_id',
  'visitor_id',
  'day',
  'first_ts',
  'last_ts',
  'events',
  'clicks',
  'opens',
  'messages_sent',
  'messages_received',
  'errors',
  'user_id',
  'user_ts',
  'source_ts',
  'landing_page',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'screen',
  'device_ts',
  'device_type',
  'browser',
  'os',
] as const;

/** A `sessions` row as a driver hands it back (numbers may be strings: bigint). */
export type RawSessionRecord = Record<(typeof SESSION_COLUMNS)[number], unknown>;

/** A session's values in {@link SESSION_COLUMNS} order. */
export function sessionToValues(s: SessionRecord): (string | number | null)[] {
  const src = s.source;
  const dev = s.device;
  return [
    s.widgetId,
    s.sessionId,
    s.visitorId,
    s.day,
    s.firstTs,
    s.lastTs,
    s.events,
    s.clicks,
    s.opens,
    s.messagesSent,
    s.messagesReceived,
    s.errors,
    s.userId,
    s.userTs,
    s.sourceTs,
    src?.landingPage ?? null,
    src?.referrerDomain ?? null,
    src?.utmSource ?? null,
    src?.utmMedium ?? null,
    src?.utmCampaign ?? null,
    src?.utmTerm ?? null,
    src?.utmContent ?? null,
    src?.screen ?? null,
    s.deviceTs,
    dev?.deviceType ?? null,
    dev?.browser ?? null,
    dev?.os ?? null,
  ];
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A driver record back as a {@link SessionRecord}. */
export function recordToSession(r: RawSessionRecord): SessionRecord {
  const sourceTs = num(r.source_ts);
  const deviceTs = num(r.device_ts);
  return {
    widgetId: String(r.widget_id),
    sessionId: String(r.session_id),
    visitorId: String(r.visitor_id),
    day: Number(r.day),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
    events: Number(r.events),
    clicks: Number(r.clicks),
    opens: Number(r.opens),
    messagesSent: Number(r.messages_sent),
    messagesReceived: Number(r.messages_received),
    errors: Number(r.errors),
    userId: str(r.user_id),
    userTs: num(r.user_ts),
    sourceTs,
    source:
      sourceTs === null
        ? null
        : {
            landingPage: str(r.landing_page),
            referrerDomain: str(r.referrer_domain),
            utmSource: str(r.utm_source),
            utmMedium: str(r.utm_medium),
            utmCampaign: str(r.utm_campaign),
            utmTerm: str(r.utm_term),
            utmContent: str(r.utm_content),
            screen: str(r.screen),
          },
    deviceTs,
    device:
      deviceTs === null
        ? null
        : { deviceType: (str(r.device_type) ?? 'other') as 'desktop' | 'mobile' | 'tablet' | 'other', browser: str(r.browser), os: str(r.os) },
  };
}
