import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseApiKeyJson, parseApiKeyList } from '../auth';
import type { ApiKeyGrant } from '../auth';
import { CollectorError, COLLECTOR_ERROR_CODES } from '../errors';
import { normalizeConfig } from './normalize-config';
import type { CollectorOptions } from './normalize-config';
import type { CollectorConfig } from './types';

/** Environment variables the collector reads, each mapped to one option. */
export const COLLECTOR_ENV_VARS = {
  COLLECTOR_HOST: 'host',
  COLLECTOR_PORT: 'port',
  DATABASE_URL: 'databaseUrl',
  COLLECTOR_MAX_EVENT_AGE_MS: 'maxEventAgeMs',
  COLLECTOR_MAX_FUTURE_SKEW_MS: 'maxFutureSkewMs',
  COLLECTOR_MAX_EVENT_BYTES: 'maxEventBytes',
  COLLECTOR_RATE_LIMIT_BURST: 'rateLimit.burstEvents',
  COLLECTOR_RATE_LIMIT_PER_SECOND: 'rateLimit.refillEventsPerSecond',
  COLLECTOR_ALLOWED_ORIGINS: 'allowedOrigins',
  COLLECTOR_TRUST_PROXY: 'trustProxy',
  COLLECTOR_STORAGE_RETRY_AFTER_S: 'storageRetryAfterSeconds',
  COLLECTOR_PG_POOL_SIZE: 'pgPoolSize',
  COLLECTOR_PG_STATEMENT_TIMEOUT_MS: 'pgStatementTimeoutMs',
  COLLECTOR_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  COLLECTOR_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  COLLECTOR_LOG_LEVEL: 'logLevel',
  COLLECTOR_ANALYTICS_WORKER: 'analyticsWorker',
  COLLECTOR_KEEP_BOTS: 'keepBots',
  FRAMEWIRE_API_KEYS: 'apiKeys',
  FRAMEWIRE_API_KEYS_FILE: 'apiKeys',
  FRAMEWIRE_REQUIRE_REGISTRATION: 'requireRegistration',
  FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE: 'webhookAllowPrivate',
  FRAMEWIRE_WIDGET_ORIGINS: 'widgetOrigins',
  RETENTION_ENABLED: 'retention.schedule',
  RETENTION_EVENTS_DAYS: 'retention.eventsDays',
  RETENTION_SESSIONS_DAYS: 'retention.sessionsDays',
} as const;

const text = z.string().trim().min(1).optional();
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional();
const positiveNumber = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a number')
  .transform(Number)
  .pipe(z.number().positive('must be greater than 0'))
  .optional();
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no'], 'must be true or false'))
  .transform((value) => value === '1' || value === 'true' || value === 'yes')
  .optional();
const origins = z
  .string()
  .trim()
  .refine((value) => !value.split(',').some((origin) => origin.trim() === '*'), 'must not be "*" (leave it unset to accept any origin)')
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
  .optional();

const envSchema = z.object({
  COLLECTOR_HOST: text,
  COLLECTOR_PORT: integer(0, 65535),
  DATABASE_URL: text,
  COLLECTOR_MAX_EVENT_AGE_MS: integer(1),
  COLLECTOR_MAX_FUTURE_SKEW_MS: integer(0),
  COLLECTOR_MAX_EVENT_BYTES: integer(256),
  COLLECTOR_RATE_LIMIT_BURST: integer(0),
  COLLECTOR_RATE_LIMIT_PER_SECOND: positiveNumber,
  COLLECTOR_ALLOWED_ORIGINS: origins,
  COLLECTOR_TRUST_PROXY: flag,
  COLLECTOR_STORAGE_RETRY_AFTER_S: integer(1),
  COLLECTOR_PG_POOL_SIZE: integer(1, 1000),
  COLLECTOR_PG_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000),
  COLLECTOR_SQLITE_SYNCHRONOUS: z.string().trim().toLowerCase().pipe(z.enum(['full', 'normal'], 'must be full or normal')).optional(),
  COLLECTOR_SHUTDOWN_TIMEOUT_MS: integer(0),
  COLLECTOR_LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent'))
    .optional(),
  COLLECTOR_ANALYTICS_WORKER: flag,
  COLLECTOR_KEEP_BOTS: flag,
  FRAMEWIRE_REQUIRE_REGISTRATION: flag,
  FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE: flag,
  FRAMEWIRE_WIDGET_ORIGINS: origins,
  RETENTION_ENABLED: flag,
  RETENTION_EVENTS_DAYS: integer(1, 36_500),
  RETENTION_SESSIONS_DAYS: integer(1, 36_500),
});

const ENV_NAME_BY_OPTION: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(COLLECTOR_ENV_VARS).map(([envName, option]) => [option, envName]),
);

/**
 * API keys from `FRAMEWIRE_API_KEYS` (`key=owner:widgetA,widgetB;key2=owner2:*`) or
 * `FRAMEWIRE_API_KEYS_FILE` (a JSON array of `{ key, owner, widgets }`), not both. Kept apart
 * from the other variables because their values are secrets: errors never quote them.
 */
function loadApiKeys(list: string | undefined, file: string | undefined): ApiKeyGrant[] | undefined {
  const invalid = (name: string, error: unknown): CollectorError =>
    new CollectorError(COLLECTOR_ERROR_CODES.INVALID_CONFIG, `Invalid environment: ${name} ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  if (list !== undefined && file !== undefined) {
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_CONFIG, 'Invalid environment: set FRAMEWIRE_API_KEYS or FRAMEWIRE_API_KEYS_FILE, not both');
  }
  if (list !== undefined) {
    try {
      return parseApiKeyList(list);
    } catch (error) {
      throw invalid('FRAMEWIRE_API_KEYS', error);
    }
  }
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid('FRAMEWIRE_API_KEYS_FILE', `cannot be read (${code ?? String(error)}): ${JSON.stringify(file)}`);
  }
  try {
    return parseApiKeyJson(text);
  } catch (error) {
    throw invalid(`FRAMEWIRE_API_KEYS_FILE (${JSON.stringify(file)})`, error);
  }
}

/**
 * Reads the collector configuration from environment variables (empty ones count as unset)
 * and validates it.
 * @throws CollectorError `INVALID_CONFIG` with one line naming the variable and what it must be.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): CollectorConfig {
  const present = Object.fromEntries(
    Object.keys(COLLECTOR_ENV_VARS)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '');
    throw new CollectorError(
      COLLECTOR_ERROR_CODES.INVALID_CONFIG,
      `Invalid environment: ${name} ${issue?.message ?? 'is invalid'} (got ${JSON.stringify(present[name] ?? '')})`,
    );
  }
  const e = parsed.data;
  const apiKeys = loadApiKeys(present.FRAMEWIRE_API_KEYS, present.FRAMEWIRE_API_KEYS_FILE?.trim());
  const options: CollectorOptions = {
    host: e.COLLECTOR_HOST,
    port: e.COLLECTOR_PORT,
    databaseUrl: e.DATABASE_URL,
    maxEventAgeMs: e.COLLECTOR_MAX_EVENT_AGE_MS,
    maxFutureSkewMs: e.COLLECTOR_MAX_FUTURE_SKEW_MS,
    maxEventBytes: e.COLLECTOR_MAX_EVENT_BYTES,
    rateLimit: { burstEvents: e.COLLECTOR_RATE_LIMIT_BURST, refillEventsPerSecond: e.COLLECTOR_RATE_LIMIT_PER_SECOND },
    allowedOrigins: e.COLLECTOR_ALLOWED_ORIGINS === undefined || e.COLLECTOR_ALLOWED_ORIGINS.length === 0 ? undefined : e.COLLECTOR_ALLOWED_ORIGINS,
    trustProxy: e.COLLECTOR_TRUST_PROXY,
    storageRetryAfterSeconds: e.COLLECTOR_STORAGE_RETRY_AFTER_S,
    pgPoolSize: e.COLLECTOR_PG_POOL_SIZE,
    pgStatementTimeoutMs: e.COLLECTOR_PG_STATEMENT_TIMEOUT_MS,
    sqliteSynchronous: e.COLLECTOR_SQLITE_SYNCHRONOUS,
    shutdownTimeoutMs: e.COLLECTOR_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.COLLECTOR_LOG_LEVEL,
    analyticsWorker: e.COLLECTOR_ANALYTICS_WORKER,
    keepBots: e.COLLECTOR_KEEP_BOTS,
    apiKeys,
    requireRegistration: e.FRAMEWIRE_REQUIRE_REGISTRATION,
    webhookAllowPrivate: e.FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE,
    widgetOrigins: e.FRAMEWIRE_WIDGET_ORIGINS === undefined || e.FRAMEWIRE_WIDGET_ORIGINS.length === 0 ? undefined : e.FRAMEWIRE_WIDGET_ORIGINS,
    retention: { schedule: e.RETENTION_ENABLED, eventsDays: e.RETENTION_EVENTS_DAYS, sessionsDays: e.RETENTION_SESSIONS_DAYS },
  };
  try {
    return normalizeConfig(options);
  } catch (error) {
    // Name the variable rather than the option.
    const message = error instanceof Error ? error.message : String(error);
    const renamed = message.replace(/^Invalid collector configuration: ([\w.]+)/, (_m, path: string) => {
      const segments = path.split('.');
      const option = [segments.slice(0, 2).join('.'), segments[0] ?? ''].find((candidate) => ENV_NAME_BY_OPTION[candidate] !== undefined);
      return `Invalid environment: ${option === undefined ? path : ENV_NAME_BY_OPTION[option]}`;
    });
    throw new CollectorError(COLLECTOR_ERROR_CODES.INVALID_CONFIG, renamed, { cause: error });
  }
}
