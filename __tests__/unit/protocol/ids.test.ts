import { describe, expect, test } from 'vitest';
import { randomId, uuidv7 } from '../../../lib/util/ids';

describe('ids', () => {
  test('uuidv7 carries the time in its first 48 bits and sorts by it', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id.startsWith('01234567-89ab-7')).toBe(true);
    expect(uuidv7(1000) < uuidv7(2000)).toBe(true);
  });

  test('uuidv7 sets the version and variant bits', () => {
    for (let i = 0; i < 100; i++) expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('randomId is 128 random bits in hex', () => {
    expect(randomId()).toMatch(/^[0-9a-f]{32}$/);
    expect(randomId()).not.toBe(randomId());
  });
});
