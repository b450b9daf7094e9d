import { describe, expect, test } from 'vitest';
import { settledIds } from '../../../lib/embed/queue/answer';
import type { Note } from '../../../lib/embed/queue/delivery-health';

/** A note that keeps what it was told, as `counter detail`. */
const recorder =
  (lines: string[]): Note =>
  (counter, detail) => {
    lines.push(`${counter} ${String(detail)}`);
  };

const batch = [
  { id: 'a', timestamp: 1 },
  { id: 'b', timestamp: 2 },
  { id: 'c', timestamp: 3 },
];

describe('settledIds', () => {
  test('settles accepted, duplicate and refused ids, and notes each refusal under its reason, with the id', () => {
    const lines: string[] = [];
    const done = settledIds(
      { accepted: ['a'], duplicates: ['b'], failed: [{ id: 'c', reason: 'too_old' }, { id: 'a2', reason: 'invalid: properties.x' }] },
      [...batch, { id: 'a2', timestamp: 4 }],
      recorder(lines),
    );
    expect([...done]).toEqual(['a', 'b', 'c', 'a2']);
    expect(lines).toEqual(['refused_too_old c too_old', 'refused_invalid a2 invalid: properties.x']);
  });

  test('maps a refusal named by position (`#1`) to the id at that position in the batch', () => {
    const done = settledIds({ failed: [{ id: '#1', reason: 'no id' }] }, batch, recorder([]));
    expect([...done]).toEqual(['b']);
  });

  test('treats fields that are not lists as empty', () => {
    const done = settledIds({ accepted: 'a', duplicates: null, failed: { id: 'c' } }, batch, recorder([]));
    expect(done.size).toBe(0);
  });
});
