import { describe, expect, test } from 'vitest';
import { HOST_METHOD_NAMES, HOST_METHODS, ReplyMessageSchema } from '../../../lib/protocol/index';
import { isHostResult, parseReplyMessage } from '../../../lib/protocol/reply';

const reply = (value: unknown, fields: Record<string, unknown> = {}) => ({ id: '7', type: 'RAW', value, ...fields });

describe('parseReplyMessage', () => {
  test.each([
    ['a value', reply({ ok: true, value: 'v' })],
    ['null', reply({ ok: true, value: null })],
    ['an object value', reply({ ok: true, value: { queued: 2 } })],
    ['an error', reply({ ok: false, code: 'QUOTA_EXCEEDED', message: 'Value over 65536 characters.' })],
  ])('accepts %s', (_name, data) => {
    expect(parseReplyMessage(data)).toEqual(data);
  });

  test.each([
    ['an extra key', reply({ ok: true, value: 1 }, { extra: 1 })],
    ['an extra key in the result', reply({ ok: true, value: 1, extra: 1 })],
    ['an ok result without its value key', reply({ ok: true })],
    ['a comlink HANDLER (a thrown error)', { id: '7', type: 'HANDLER', name: 'throw', value: { isError: true, value: { message: 'x' } } }],
    ['an empty id', reply({ ok: true, value: 1 }, { id: '' })],
    ['an id of 129 characters', reply({ ok: true, value: 1 }, { id: 'x'.repeat(129) })],
    ['a numeric id', reply({ ok: true, value: 1 }, { id: 7 })],
    ['ok as a string', reply({ ok: 'true', value: 1 })],
    ['an unknown error code', reply({ ok: false, code: 'NOPE', message: 'x' })],
    ['an error message over 1000 characters', reply({ ok: false, code: 'HOST_ERROR', message: 'x'.repeat(1001) })],
    ['an own __proto__ key', JSON.parse('{"id":"7","type":"RAW","value":{"ok":true,"value":1},"__proto__":{"x":1}}') as unknown],
    ['an own __proto__ key in the result', JSON.parse('{"id":"7","type":"RAW","value":{"ok":true,"__proto__":{"value":1}}}') as unknown],
    ['an array', [reply({ ok: true, value: 1 })]],
    ['null', null],
  ])('refuses %s, as the zod schema does', (_name, data) => {
    expect(parseReplyMessage(data)).toBeNull();
    expect(ReplyMessageSchema.safeParse(data).success).toBe(false);
  });

  test('agrees with ReplyMessageSchema on 3,000 random messages', () => {
    let seed = 5;
    const random = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32), seed / 2 ** 32);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let i = 0; i < 3000; i++) {
      const result: Record<string, unknown> = {
        ok: pick([true, true, false, 'true', 1, undefined]),
        value: pick(['v', null, 0, {}, undefined]),
        code: pick([undefined, 'HOST_ERROR', 'INVALID_MESSAGE', 'x']),
        message: pick([undefined, 'm', 'x'.repeat(1001), 5]),
      };
      for (const key of Object.keys(result)) if (result[key] === undefined && random() < 0.7) delete result[key];
      const message: Record<string, unknown> = {
        id: pick(['1', 'a-b', '', 3, 'x'.repeat(128), 'x'.repeat(129)]),
        type: pick(['RAW', 'RAW', 'HANDLER']),
        value: random() < 0.95 ? result : pick([null, 'x', []]),
      };
      if (random() < 0.05) message.extra = 1;
      if (random() < 0.05) delete message.id;
      expect(parseReplyMessage(message) !== null, JSON.stringify(message)).toBe(ReplyMessageSchema.safeParse(message).success);
    }
  });
});

describe('isHostResult', () => {
  const candidates: unknown[] = [null, 'v', '', 0, 1.5, -2, Number.NaN, Number.POSITIVE_INFINITY, true, {}, { queued: 1 }, { queued: -1 }, { queued: 1, x: 1 }, [], undefined];

  test.each(HOST_METHOD_NAMES)('agrees with HOST_METHODS.%s.result', (method) => {
    for (const value of candidates) {
      expect(isHostResult(method, value), `${method} ${String(value)}`).toBe(HOST_METHODS[method].result.safeParse(value).success);
    }
  });
});
