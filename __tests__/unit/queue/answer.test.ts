import { describe, expect, test } from 'vitest';
import { settledIds } from '../../../lib/embed/queue/answer';
import type { Logger } from '../../../lib/util/logger';

/** A logger that keeps its lines. */
const recorder = (lines: string[]): Logger =>
  Object.assign((line: string) => {
    lines.push(line);
  }, { enabled: true });

const batch = [
  { id: 'a', timestamp: 1 },
  { id: 'b', timestamp: 2 },
  { id: 'c', timestamp: 3 },
];

describe('settledIds', () => {
  test('settles accepted, duplicate and refused ids, and logs each refusal with its reason', () => {
    const lines: string[] = [];
    const done = settledIds({ accepted: ['a'], duplicates: ['b'], failed: [{ id: 'c', reason: 'too big' }] }, batch, recorder(lines));
    expect([...done]).toEqual(['a', 'b', 'c']);
    expect(lines).toEqual(['Event c refused: too big.']);
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
