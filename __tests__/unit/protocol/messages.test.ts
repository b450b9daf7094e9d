import { describe, expect, test } from 'vitest';
import {
  CallMessageSchema,
  HandshakeRequestSchema,
  HOST_METHOD_NAMES,
  HOST_METHODS,
  parseCallMessage,
  parseHandshakeRequest,
} from '../../../lib/protocol/index';

const handshake = (fields: Record<string, unknown> = {}) => ({
  framewire: 1,
  type: 'handshake',
  widgetId: 'demo',
  nonce: 'abcdef0123456789',
  ...fields,
});

const call = (path: unknown, args: unknown[], fields: Record<string, unknown> = {}) => ({
  id: 'c1',
  type: 'APPLY',
  path,
  argumentList: args.map((value) => ({ type: 'RAW', value })),
  ...fields,
});

/** The zod specification of what the host accepts on its port. */
function specAcceptsCall(data: unknown): boolean {
  const envelope = CallMessageSchema.safeParse(data);
  if (!envelope.success) return false;
  const method = envelope.data.path[0];
  return HOST_METHODS[method].args.safeParse(envelope.data.argumentList.map((wire) => wire.value)).success;
}

describe('parseHandshakeRequest', () => {
  test('accepts a well-formed handshake', () => {
    expect(parseHandshakeRequest(handshake())).toEqual(handshake());
  });

  test.each([
    ['another protocol version', handshake({ framewire: 2 })],
    ['another type', handshake({ type: 'handshake-ack' })],
    ['an extra key', handshake({ extra: true })],
    ['a widget id with a colon (namespace overlap)', handshake({ widgetId: 'a:b' })],
    ['a widget id of 65 characters', handshake({ widgetId: 'a'.repeat(65) })],
    ['an empty widget id', handshake({ widgetId: '' })],
    ['a short nonce', handshake({ nonce: 'short' })],
    ['a long nonce', handshake({ nonce: 'n'.repeat(65) })],
    ['a number nonce', handshake({ nonce: 12345678 })],
    ['null', null],
    ['an array', [1]],
    ['a string', 'handshake'],
    ['an own __proto__ key', JSON.parse('{"framewire":1,"type":"handshake","widgetId":"demo","nonce":"abcdef0123456789","__proto__":{"x":1}}')],
  ])('refuses %s', (_name, data) => {
    expect(parseHandshakeRequest(data)).toBeNull();
    expect(HandshakeRequestSchema.safeParse(data).success).toBe(false);
  });
});

describe('parseCallMessage', () => {
  test.each([
    ['ping', [123]],
    ['getItem', ['session_id']],
    ['setItem', ['session_id', 'v']],
    ['removeItem', ['session_id']],
    ['track', [[{ type: 'click', id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', timestamp: 1, sessionId: 's', offerId: 'o' }]]],
    ['track', [[{ type: 'analytics', id: 'e1', timestamp: 0, sessionId: 's', name: 'widget_opened', properties: { a: 1 } }]]],
  ])('accepts a call of %s and hands out the method and the plain argument values', (method, args) => {
    const data = call([method], args);
    expect(parseCallMessage(data)).toEqual({ ok: true, id: 'c1', method, args });
  });

  test.each([
    ['GET', { id: 'c1', type: 'GET', path: ['getItem'] }],
    ['SET into __proto__', { id: 'c1', type: 'SET', path: ['__proto__', 'polluted'], value: { type: 'RAW', value: 1 } }],
    ['CONSTRUCT', { id: 'c1', type: 'CONSTRUCT', path: ['getItem'], argumentList: [] }],
    ['ENDPOINT', { id: 'c1', type: 'ENDPOINT' }],
    ['RELEASE', { id: 'c1', type: 'RELEASE' }],
    ['a __proto__ path', call(['__proto__'], [])],
    ['a constructor path', call(['constructor'], [])],
    ['a prototype path', call(['prototype'], [])],
    ['a path through a method', call(['getItem', 'call'], ['x'])],
    ['an inherited name', call(['toString'], [])],
    ['hasOwnProperty', call(['hasOwnProperty'], ['x'])],
    ['an unknown method', call(['clear'], [])],
    ['a proxy argument', { id: 'c1', type: 'APPLY', path: ['getItem'], argumentList: [{ type: 'HANDLER', name: 'proxy', value: 1 }] }],
    ['a wire value with an extra key', { id: 'c1', type: 'APPLY', path: ['getItem'], argumentList: [{ type: 'RAW', value: 'k', x: 1 }] }],
    ['five arguments', call(['setItem'], ['a', 'b', 'c', 'd', 'e'])],
    ['ping with NaN', call(['ping'], [Number.NaN])],
    ['ping with Infinity', call(['ping'], [Number.POSITIVE_INFINITY])],
    ['ping with a string', call(['ping'], ['1'])],
    ['getItem with an empty key', call(['getItem'], [''])],
    ['getItem with an object key', call(['getItem'], [{ toString: 'x' }])],
    ['setItem with a number value', call(['setItem'], ['k', 1])],
    ['setItem with one argument', call(['setItem'], ['k'])],
    ['an extra top-level key', call(['ping'], [1], { extra: 1 })],
    ['track with no events', call(['track'], [[]])],
    ['track with 26 events', call(['track'], [Array.from({ length: 26 }, (_, i) => ({ type: 'click', id: `e${i}`, timestamp: 1, sessionId: 's', offerId: 'o' }))])],
    ['track with an unknown type', call(['track'], [[{ type: 'view', id: 'e1', timestamp: 1, sessionId: 's' }]])],
    ['track with a click lacking its offer', call(['track'], [[{ type: 'click', id: 'e1', timestamp: 1, sessionId: 's' }]])],
    ['track with a click with an analytics field', call(['track'], [[{ type: 'click', id: 'e1', timestamp: 1, sessionId: 's', offerId: 'o', name: 'x' }]])],
    ['track without an id', call(['track'], [[{ type: 'click', timestamp: 1, sessionId: 's', offerId: 'o' }]])],
    ['track with an id starting with #', call(['track'], [[{ type: 'click', id: '#1', timestamp: 1, sessionId: 's', offerId: 'o' }]])],
    ['track with a fractional timestamp', call(['track'], [[{ type: 'click', id: 'e1', timestamp: 1.5, sessionId: 's', offerId: 'o' }]])],
    ['track with array properties', call(['track'], [[{ type: 'analytics', id: 'e1', timestamp: 1, sessionId: 's', name: 'n', properties: [] }]])],
    ['track with a type of __proto__', call(['track'], [[{ type: '__proto__', id: 'e1', timestamp: 1, sessionId: 's' }]])],
    ['track with a sparse array', call(['track'], [Object.assign(new Array(2), { 1: { type: 'click', id: 'e1', timestamp: 1, sessionId: 's', offerId: 'o' } })])],
  ])('refuses %s, keeping its id for the answer', (_name, data) => {
    const parsed = parseCallMessage(data);
    expect(parsed).toMatchObject({ ok: false, id: 'c1' });
    expect(specAcceptsCall(data)).toBe(false);
  });

  test.each([null, 'x', 42, [], { type: 'APPLY' }, { id: '', type: 'APPLY' }, { id: 'x'.repeat(129) }])(
    'refuses %j without an id to answer',
    (data) => {
      expect(parseCallMessage(data)).toMatchObject({ ok: false, id: null });
    },
  );
});

describe('the compact parsers agree with the zod specification', () => {
  // A small random grammar around the valid shapes: every field is sometimes right,
  // sometimes wrong in a typical way.
  const pick = <T,>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;
  const seeded = (seed: number) => () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    return seed / 2 ** 32;
  };
  const values: unknown[] = [0, 1.5, -3, Number.NaN, '', 'k', 'x'.repeat(200), null, undefined, true, {}, [], { toString: 1 }];

  test('on 3,000 random call messages', () => {
    const random = seeded(7);
    const methods = [...HOST_METHOD_NAMES, '__proto__', 'constructor', 'clear', 'toString'];
    for (let i = 0; i < 3000; i++) {
      const args = Array.from({ length: Math.floor(random() * 6) }, () =>
        random() < 0.9 ? { type: 'RAW', value: pick(values, random) } : pick([{ type: 'HANDLER', value: 1 }, 'RAW', null], random),
      );
      const message: Record<string, unknown> = {
        id: pick(['c1', '', 7, 'x'.repeat(129)], random),
        type: pick(['APPLY', 'APPLY', 'APPLY', 'GET', 'SET'], random),
        path: random() < 0.8 ? [pick(methods, random)] : pick([[], ['getItem', 'x'], 'getItem'], random),
        argumentList: random() < 0.95 ? args : 'nope',
      };
      if (random() < 0.05) message.extra = 1;
      if (random() < 0.05) delete message.path;
      expect(parseCallMessage(message).ok, JSON.stringify(message)).toBe(specAcceptsCall(message));
    }
  });

  test('on 5,000 random track calls', () => {
    const random = seeded(23);
    const fields: Record<string, unknown[]> = {
      type: ['click', 'analytics', 'view', undefined],
      id: ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'e.1:x-y_z', '', '#3', '-a', 'x'.repeat(64), 'x'.repeat(65), 7],
      timestamp: [0, 1730956800000, -1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53, '1', Number.NaN],
      sessionId: ['s', '', 'x'.repeat(128), 'x'.repeat(129), null],
      offerId: ['o', '', 'x'.repeat(129), undefined],
      questionId: [undefined, '', 'q', 'x'.repeat(129), null],
      buttonVariantId: [undefined, 'b', 3],
      name: ['widget_opened', '', 'x'.repeat(100), 'x'.repeat(101), undefined],
      category: [undefined, 'engagement', 'x'.repeat(65)],
      anonymousId: [undefined, 'a', null],
      userId: [undefined, 'u', 'x'.repeat(129)],
      properties: [undefined, {}, { a: [1] }, [], null, 'p', Object.create(null), new Date(0)],
      extra: [undefined],
    };
    const event = (): unknown => {
      if (random() < 0.03) return pick([null, 'e', [], 5], random);
      const out: Record<string, unknown> = {};
      const type = pick(['click', 'analytics'], random);
      const own = type === 'click' ? ['offerId', 'questionId', 'buttonVariantId'] : ['name', 'category', 'anonymousId', 'userId', 'properties'];
      const required = ['type', 'id', 'timestamp', 'sessionId', 'offerId', 'name'];
      for (const [key, options] of Object.entries(fields)) {
        const belongs = ['type', 'id', 'timestamp', 'sessionId'].includes(key) || own.includes(key);
        if (random() < (belongs ? (required.includes(key) ? 0.05 : 0.4) : 0.95)) continue;
        if (key === 'type') {
          out.type = random() < 0.9 ? type : pick(options, random);
          continue;
        }
        out[key] = random() < 0.8 ? options[0] : pick(options, random);
      }
      if (random() < 0.05) out.other = 1;
      return out;
    };
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const events = random() < 0.03 ? pick([[], 'x', null], random) : Array.from({ length: 1 + Math.floor(random() * 3) }, event);
      const message = call(['track'], [events]);
      const ok = parseCallMessage(message).ok;
      expect(ok, JSON.stringify(message)).toBe(specAcceptsCall(message));
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  test('on 3,000 random handshakes', () => {
    const random = seeded(11);
    for (let i = 0; i < 3000; i++) {
      const message: Record<string, unknown> = {
        framewire: pick([1, 1, 1, 2, '1'], random),
        type: pick(['handshake', 'handshake', 'handshake-ack'], random),
        widgetId: pick(['demo', 'a_b-C9', '', 'a:b', 'x'.repeat(64), 'x'.repeat(65), 3], random),
        nonce: pick(['abcdefgh', 'abcdefg', 'n'.repeat(64), 'n'.repeat(65), null], random),
      };
      if (random() < 0.05) message.extra = 1;
      expect(parseHandshakeRequest(message) !== null, JSON.stringify(message)).toBe(HandshakeRequestSchema.safeParse(message).success);
    }
  });
});
