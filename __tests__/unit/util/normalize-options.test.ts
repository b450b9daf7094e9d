import { describe, expect, test } from 'vitest';
import { normalizeOptions, normalizeSettings } from '../../../lib/util/normalize-options';

const DEFAULTS = Object.freeze({ timeoutMs: 1000, retries: 3, name: 'x' });

describe('normalizeOptions', () => {
  test('lays the given options over the defaults', () => {
    expect(normalizeOptions(DEFAULTS, { retries: 0, name: 'y' })).toEqual({ timeoutMs: 1000, retries: 0, name: 'y' });
  });

  test('keeps the default where an option is undefined', () => {
    expect(normalizeOptions(DEFAULTS, { timeoutMs: undefined })).toEqual({ timeoutMs: 1000, retries: 3, name: 'x' });
  });

  test('returns a copy of the defaults when no options are given, never the defaults object', () => {
    const merged = normalizeOptions(DEFAULTS);
    expect(merged).toEqual(DEFAULTS);
    expect(merged).not.toBe(DEFAULTS);
    expect(Object.isFrozen(merged)).toBe(false);
  });

  test('copies options outside the defaults, as a spread would', () => {
    expect(normalizeOptions(DEFAULTS, { url: 'https://c.example/' })).toEqual({ ...DEFAULTS, url: 'https://c.example/' });
  });

  test('changes neither argument', () => {
    const options = { retries: 5, extra: undefined };
    normalizeOptions(DEFAULTS, options);
    expect(options).toEqual({ retries: 5, extra: undefined });
    expect(DEFAULTS).toEqual({ timeoutMs: 1000, retries: 3, name: 'x' });
  });
});

describe('normalizeSettings', () => {
  test('takes only the options that have a default, each undefined one left at its default', () => {
    const options = { retries: 0, timeoutMs: undefined, clock: () => 0 } as unknown as Parameters<typeof normalizeSettings<typeof DEFAULTS>>[1];
    expect(normalizeSettings(DEFAULTS, options)).toEqual({ timeoutMs: 1000, retries: 0, name: 'x' });
  });

  test('returns a copy of the defaults when no options are given', () => {
    const merged = normalizeSettings(DEFAULTS);
    expect(merged).toEqual(DEFAULTS);
    expect(merged).not.toBe(DEFAULTS);
  });
});
