import { z } from 'zod';
import { normalizeOptions } from '../../lib/util/normalize-options';
import { apiKeyGrantsSchema } from '../auth';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { DEFAULT_COLLECTOR_CONFIG } from './defaults';
import type { CollectorConfig, ConversationsConfig, RateLimitConfig, RetentionConfig } from './types';

type Partially<T> = { [K in keyof T]?: T[K] | undefined };

/** Options as callers give them: everything optional, the rate limit and retention too. */
export type CollectorOptions = Partially<Omit<CollectorConfig, 'rateLimit' | 'retention' | 'conversations'>> & {
  rateLimit?: Partially<RateLimitConfig> | undefined;
  retention?: Partially<RetentionConfig> | undefined;
  conversations?: Partially<ConversationsConfig> | undefined;
};

/** Longest retention period accepted, in days (100 years). */
const MAX_RETENTION_DAYS = 36_500;

const ORIGIN = /^https?:\/\/[^/\s*]+$/;

const configSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  databaseUrl: z.string().min(1),
  maxEventsPerBatch: z.number().int().min(1).max(1000),
  maxBodyBytes: z.number().int().min(1024),
  maxEventBytes: z.number().int().min(256),
  maxEventAgeMs: z.number().int().positive(),
  maxFutureSkewMs: z.number().int().min(0),
  rateLimit: z.object({
    burstEvents: z.number().int().min(0),
    refillEventsPerSecond: z.number().positive(),
    maxBuckets: z.number().int().min(1),
  }),
  allowedOrigins: z.union([
    z.literal('any'),
    z.array(z.string().regex(ORIGIN, 'must be an origin such as https://shop.example (scheme://host[:port], no path)')).min(1),
  ]),
  trustProxy: z.boolean(),
  storageRetryAfterSeconds: z.number().int().min(1),
  pgPoolSize: z.number().int().min(1).max(1000),
  pgStatementTimeoutMs: z.number().int().min(100).max(3_600_000),
  sqliteSynchronous: z.enum(['full', 'normal']),
  shutdownTimeoutMs: z.number().int().min(0),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  apiKeys: apiKeyGrantsSchema,
  requireRegistration: z.boolean(),
  keepBots: z.boolean(),
  webhooks: z.boolean(),
  analyticsWorker: z.boolean(),
  webhookAllowPrivate: z.boolean(),
  retention: z.object({
    eventsDays: z.number().int().min(1).max(MAX_RETENTION_DAYS),
    sessionsDays: z.number().int().min(1).max(MAX_RETENTION_DAYS),
    eventChunk: z.number().int().min(1).max(1_000_000),
    sessionChunk: z.number().int().min(1).max(1_000_000),
    schedule: z.boolean(),
  }),
  widgetOrigins: z.union([
    z.literal('any'),
    z.array(z.string().regex(ORIGIN, 'must be an origin such as https://widget.example (scheme://host[:port], no path)')).min(1),
  ]),
  conversations: z.object({
    rateLimitBurst: z.number().int().min(0),
    rateLimitPerSecond: z.number().positive(),
    heartbeatMs: z.number().int().min(10).max(3_600_000),
    streamMaxAgeMs: z.number().int().min(1000),
  }),
  now: z.custom<() => number>((value) => typeof value === 'function', 'a function returning ms since the epoch'),
});

/** Describes the first problem of a zod error as "path: message". */
export function describeIssue(error: z.ZodError, names: Readonly<Record<string, string>> = {}): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid value';
  const path = issue.path.map(String).join('.');
  const name = names[path] ?? names[String(issue.path[0] ?? '')] ?? path;
  return `${name === '' ? 'value' : name}: ${issue.message}`;
}

/**
 * Merges options over {@link DEFAULT_COLLECTOR_CONFIG} (`undefined` means "use the default")
 * and validates the result.
 * @throws CollectorError `INVALID_CONFIG` naming the bad option.
 */
export function normalizeConfig(options: CollectorOptions = {}): CollectorConfig {
  const merged = {
    ...normalizeOptions(DEFAULT_COLLECTOR_CONFIG, options),
    rateLimit: normalizeOptions(DEFAULT_COLLECTOR_CONFIG.rateLimit, options.rateLimit),
    retention: normalizeOptions(DEFAULT_COLLECTOR_CONFIG.retention, options.retention),
    conversations: normalizeOptions(DEFAULT_COLLECTOR_CONFIG.conversations, options.conversations),
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_CONFIG, `Invalid collector configuration: ${describeIssue(parsed.error)}`);
  }
  return Object.freeze({
    ...parsed.data,
    rateLimit: Object.freeze(parsed.data.rateLimit),
    retention: Object.freeze(parsed.data.retention),
    conversations: Object.freeze(parsed.data.conversations),
    apiKeys: Object.freeze(parsed.data.apiKeys.map((grant) => Object.freeze({ ...grant, widgets: grant.widgets === '*' ? '*' : Object.freeze(grant.widgets) }))),
  }) as CollectorConfig;
}
