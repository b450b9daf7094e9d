import { describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTOR_CONFIG, loadConfig, normalizeConfig, parseDatabaseUrl } from '../../server';

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      databaseUrl: './data/framewire.db',
      maxEventsPerBatch: 25,
      maxBodyBytes: 65536,
      maxEventAgeMs: 86_400_000,
      maxFutureSkewMs: 300_000,
      allowedOrigins: 'any',
    });
    expect(config.rateLimit).toEqual(DEFAULT_COLLECTOR_CONFIG.rateLimit);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      COLLECTOR_HOST: '0.0.0.0',
      COLLECTOR_PORT: '9000',
      DATABASE_URL: 'postgres://u@h/db',
      COLLECTOR_MAX_EVENT_AGE_MS: '3600000',
      COLLECTOR_MAX_FUTURE_SKEW_MS: '1000',
      COLLECTOR_MAX_EVENT_BYTES: '4096',
      COLLECTOR_RATE_LIMIT_BURST: '0',
      COLLECTOR_RATE_LIMIT_PER_SECOND: '2.5',
      COLLECTOR_ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173',
      COLLECTOR_TRUST_PROXY: 'true',
      COLLECTOR_STORAGE_RETRY_AFTER_S: '9',
      COLLECTOR_PG_POOL_SIZE: '4',
      COLLECTOR_SQLITE_SYNCHRONOUS: 'NORMAL',
      COLLECTOR_SHUTDOWN_TIMEOUT_MS: '500',
      COLLECTOR_LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      databaseUrl: 'postgres://u@h/db',
      maxEventAgeMs: 3_600_000,
      maxFutureSkewMs: 1000,
      maxEventBytes: 4096,
      rateLimit: { burstEvents: 0, refillEventsPerSecond: 2.5 },
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
      trustProxy: true,
      storageRetryAfterSeconds: 9,
      pgPoolSize: 4,
      sqliteSynchronous: 'normal',
      shutdownTimeoutMs: 500,
      logLevel: 'warn',
    });
  });

  it.each([
    [{ COLLECTOR_PORT: 'abc' }, /COLLECTOR_PORT must be a whole number \(got "abc"\)/],
    [{ COLLECTOR_PORT: '70000' }, /COLLECTOR_PORT must be at most 65535/],
    [{ COLLECTOR_ALLOWED_ORIGINS: '*' }, /COLLECTOR_ALLOWED_ORIGINS must not be "\*"/],
    [{ COLLECTOR_ALLOWED_ORIGINS: 'shop.example' }, /COLLECTOR_ALLOWED_ORIGINS/],
    [{ COLLECTOR_TRUST_PROXY: 'maybe' }, /COLLECTOR_TRUST_PROXY must be true or false/],
    [{ COLLECTOR_RATE_LIMIT_PER_SECOND: '0' }, /COLLECTOR_RATE_LIMIT_PER_SECOND must be greater than 0/],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('keeps webhooks off private addresses unless FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ webhooks: true, webhookAllowPrivate: false });
    expect(loadConfig({ FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/FRAMEWIRE_WEBHOOK_ALLOW_PRIVATE must be true or false/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ COLLECTOR_PORT: '', DATABASE_URL: ' ' }).port).toBe(8787);
  });
});

describe('normalizeConfig', () => {
  it('ignores undefined options and merges the rate limit partially', () => {
    const config = normalizeConfig({ port: undefined, rateLimit: { burstEvents: 5 } });
    expect(config.port).toBe(8787);
    expect(config.rateLimit).toEqual({ ...DEFAULT_COLLECTOR_CONFIG.rateLimit, burstEvents: 5 });
  });

  it('refuses a bad option by name', () => {
    expect(() => normalizeConfig({ port: -1 })).toThrow(/port/);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['./data/framewire.db', { engine: 'sqlite', filename: './data/framewire.db' }],
    ['sqlite:./x.db', { engine: 'sqlite', filename: './x.db' }],
    ['sqlite:///var/lib/x.db', { engine: 'sqlite', filename: '/var/lib/x.db' }],
    [':memory:', { engine: 'sqlite', filename: ':memory:' }],
    ['postgres://u:p@h:5432/db', { engine: 'postgres', connectionString: 'postgres://u:p@h:5432/db' }],
    ['postgresql://h/db', { engine: 'postgres', connectionString: 'postgresql://h/db' }],
  ])('reads %s', (url, target) => {
    expect(parseDatabaseUrl(url)).toEqual(target);
  });

  it('refuses another scheme without echoing the password', () => {
    expect(() => parseDatabaseUrl('mysql://user:secret@h/db')).toThrow(/unsupported scheme/);
    expect(() => parseDatabaseUrl('mysql://user:secret@h/db')).not.toThrow(/secret/);
  });
});
