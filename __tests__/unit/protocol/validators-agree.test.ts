import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ANALYTICS_FIELDS,
  CallMessageSchema,
  CLICK_FIELDS,
  COLOR_PATTERN,
  createHandshakeAck,
  createHandshakeRequest,
  HandshakeAckSchema,
  HandshakeRequestSchema,
  HOST_METHOD_ARGS,
  HOST_METHOD_NAMES,
  HOST_METHODS,
  isTrackEvent,
  MAX_ARGUMENTS,
  MAX_TRACK_EVENTS,
  MESSAGE_ID_LENGTH,
  NONCE_LENGTH,
  parseCallMessage,
  parseHandshakeRequest,
  TrackEventSchema,
  WIDGET_DOCUMENT_LIMITS,
  WIDGET_ID_PATTERN,
  WIDGET_POSITIONS,
} from '../../../lib/protocol/index';
import type { TextField } from '../../../lib/protocol/index';

/*
 * For each message the host reads with a compact check, generated values around every limit
 * of the tables both readings derive from: the compact check accepts exactly what the zod
 * specification accepts. Each property also counts acceptances, so a generator that only
 * ever made invalid values would fail instead of agreeing vacuously.
 */

const RUNS = 1500;

/** Strings of each length from just under `min` to just over `max`. */
const lengthAround = (min: number, max: number, char = 'x') =>
  fc.oneof(fc.constantFrom(min - 1, min, max, max + 1), fc.integer({ min: Math.max(0, min - 1), max: max + 1 })).map((n) => char.repeat(Math.max(0, n)));

/** Values that are not what the field wants, in the ways senders get it wrong. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, 7, -0, Number.NaN, true, {}, [], 'a\u0000b', 'x\uD800', '\uDC00y'),
  fc.anything({ maxDepth: 1 }),
);

/** A value for one text field of a contract table, valid most of the time. */
const textValue = (field: TextField) => {
  const min = field.required ? 1 : 0;
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min, max: field.max }).map((n) => 't'.repeat(n)) },
    { weight: 3, arbitrary: lengthAround(min, field.max) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: wrongValue },
  );
};

/** Record fields that are each left out now and then. */
const sometimes = (arbitrary: fc.Arbitrary<unknown>) => fc.oneof({ weight: 19, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });

/** A value that is there one time in twenty (an extra key, say). */
const rarely = (arbitrary: fc.Arbitrary<unknown>) => fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

const trackEvent = fc
  .constantFrom(['click', CLICK_FIELDS] as const, ['analytics', ANALYTICS_FIELDS] as const)
  .chain(([type, table]) => {
    const own = Object.fromEntries(Object.entries(table).map(([name, field]) => [name, textValue(field)]));
    return fc.record({
      type: fc.oneof({ weight: 9, arbitrary: fc.constant(type) }, { weight: 1, arbitrary: fc.constantFrom('view', '__proto__', 'click', 'analytics') }),
      id: sometimes(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/), lengthAround(1, 64, 'e'), fc.constantFrom('#1', '-a', ''))),
      timestamp: sometimes(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(-1, 1.5, 2 ** 53, '1', Number.NaN))),
      ...own,
      properties: type === 'analytics' ? fc.option(fc.oneof(fc.constant({ a: [1] }), fc.constantFrom([], null, 'p')), { nil: undefined }) : fc.constant(undefined),
      extra: rarely(fc.constantFrom('name', 'offerId', 'other')),
    });
  })
  .map(({ extra, ...event }) => withoutUndefined(extra === undefined ? event : { ...event, [extra as string]: 'x' }));

/**
 * A `setAppearance` argument: mostly valid, each field now and then around its limit or
 * wrong in the ways a colour, a corner or a label goes wrong (CSS in the colour, an
 * unpaired surrogate in the label, an inherited key).
 */
const appearance = fc
  .record({
    accentColor: sometimes(
      fc.oneof(
        { weight: 6, arbitrary: fc.stringMatching(COLOR_PATTERN) },
        { weight: 1, arbitrary: fc.constantFrom('#4F46E5', '#4f46e', '#4f46e5f', '4f46e5', '#4f46g5', 'red', '#4f46e5;x', '#4f46e5\n', ' #4f46e5', ['#4f46e5']) },
        { weight: 1, arbitrary: wrongValue },
      ),
    ),
    position: sometimes(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WIDGET_POSITIONS) }, { weight: 1, arbitrary: fc.constantFrom('top-left', 'Bottom-right', '', ['bottom-left']) }, { weight: 1, arbitrary: wrongValue })),
    launcherLabel: sometimes(
      fc.oneof(
        { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: WIDGET_DOCUMENT_LIMITS.launcherLabel }) },
        { weight: 2, arbitrary: lengthAround(1, WIDGET_DOCUMENT_LIMITS.launcherLabel, 'l') },
        { weight: 1, arbitrary: fc.constantFrom('Chat\u0000', 'Chat \uD83D', '\uDE00', 'Chat \uD83D\uDE00') },
        { weight: 1, arbitrary: wrongValue },
      ),
    ),
    extra: rarely(fc.constantFrom('zIndex', 'accentColor', 'launcherlabel')),
  })
  .map(({ extra, ...record }) => withoutUndefined(extra === undefined ? record : { ...record, [extra as string]: '#000000' }));

/** The zod specification of what the host accepts on its port. */
function specAcceptsCall(data: unknown): boolean {
  const envelope = CallMessageSchema.safeParse(data);
  if (!envelope.success) return false;
  const method = envelope.data.path[0];
  return HOST_METHODS[method].args.safeParse(envelope.data.argumentList.map((wire) => wire.value)).success;
}

describe('the compact checks accept exactly what the zod specification accepts', () => {
  test('for a track event (either type), with every text field of the contract tables around its limits', () => {
    let accepted = 0;
    fc.assert(
      fc.property(trackEvent, (event) => {
        const compact = isTrackEvent(event);
        expect(compact, JSON.stringify(event)).toBe(TrackEventSchema.safeParse(event).success);
        if (compact) accepted++;
      }),
      { numRuns: RUNS, seed: 5 },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  test('for a handshake request, with its widget id and nonce around their limits', () => {
    let accepted = 0;
    const handshake = fc.record({
      framewire: sometimes(fc.constantFrom(1, 1, 1, 2, '1')),
      type: sometimes(fc.constantFrom('handshake', 'handshake', 'handshake-ack')),
      widgetId: sometimes(fc.oneof(fc.stringMatching(WIDGET_ID_PATTERN), lengthAround(1, 64, 'w'), fc.constantFrom('a:b', '-a', ''), wrongValue)),
      nonce: sometimes(fc.oneof({ weight: 4, arbitrary: lengthAround(NONCE_LENGTH.min, NONCE_LENGTH.max, 'n') }, { weight: 1, arbitrary: wrongValue })),
      extra: rarely(fc.constant(1)),
    });
    fc.assert(
      fc.property(handshake.map(withoutUndefined), (message) => {
        const compact = parseHandshakeRequest(message) !== null;
        expect(compact, JSON.stringify(message)).toBe(HandshakeRequestSchema.safeParse(message).success);
        if (compact) accepted++;
      }),
      { numRuns: RUNS, seed: 11 },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  test('for a setAppearance argument, with its colour, corner and label around their limits', () => {
    let accepted = 0;
    const argument = fc.oneof(
      { weight: 12, arbitrary: appearance },
      // Not a record, or one without a prototype (which both readings take).
      { weight: 1, arbitrary: fc.constantFrom(null, [], [{ accentColor: '#000000', position: 'bottom-left', launcherLabel: 'Chat' }], 'theme', Object.assign(Object.create(null) as object, { accentColor: '#000000', position: 'bottom-left', launcherLabel: 'Chat' })) },
    );
    fc.assert(
      fc.property(argument, (value) => {
        const compact = HOST_METHOD_ARGS.setAppearance([value]);
        expect(compact, JSON.stringify(value)).toBe(HOST_METHODS.setAppearance.args.safeParse([value]).success);
        if (compact) accepted++;
      }),
      { numRuns: RUNS, seed: 31 },
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
    // Edge cases, named: the label's bounds, the colour's case, and an argument count off by one.
    const valid = { accentColor: '#A1b2C3', position: 'bottom-left', launcherLabel: 'l'.repeat(WIDGET_DOCUMENT_LIMITS.launcherLabel) };
    const cases: [unknown[], boolean][] = [
      [[valid], true],
      [[{ ...valid, launcherLabel: 'l'.repeat(WIDGET_DOCUMENT_LIMITS.launcherLabel + 1) }], false],
      [[{ ...valid, launcherLabel: 'Chat \uD83D\uDE00' }], true],
      [[{ ...valid, launcherLabel: 'Chat \uD83D' }], false],
      [[{ ...valid, accentColor: '#a1b2c3 ' }], false],
      [[{ ...valid, position: undefined }], false],
      [[valid, valid], false],
      [[], false],
    ];
    for (const [args, expected] of cases) {
      expect(HOST_METHOD_ARGS.setAppearance(args), JSON.stringify(args)).toBe(expected);
      expect(HOST_METHODS.setAppearance.args.safeParse(args).success, JSON.stringify(args)).toBe(expected);
    }
  });

  test('for a call of each host method, with its id, arguments and events around their limits', () => {
    let accepted = 0;
    const argumentValue = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('session_id', '', 'v') },
      { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer()) },
      { weight: 3, arbitrary: fc.array(trackEvent, { minLength: 0, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: MAX_TRACK_EVENTS, max: MAX_TRACK_EVENTS + 1 }).map((n) => Array.from({ length: n }, (_, i) => ({ type: 'click', id: `e${i}`, timestamp: 1, sessionId: 's', offerId: 'o' }))) },
      { weight: 2, arbitrary: appearance },
      { weight: 1, arbitrary: wrongValue },
    );
    const wire = fc.oneof({ weight: 19, arbitrary: argumentValue.map((value) => ({ type: 'RAW', value })) }, { weight: 1, arbitrary: fc.constantFrom({ type: 'HANDLER', name: 'proxy', value: 1 }, 'RAW', null) });
    const message = fc.record({
      id: sometimes(fc.oneof({ weight: 4, arbitrary: lengthAround(MESSAGE_ID_LENGTH.min, MESSAGE_ID_LENGTH.max, 'c') }, { weight: 1, arbitrary: wrongValue })),
      type: sometimes(fc.constantFrom('APPLY', 'APPLY', 'APPLY', 'GET', 'SET')),
      path: sometimes(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...HOST_METHOD_NAMES, '__proto__', 'constructor', 'toString').map((name) => [name]) }, { weight: 1, arbitrary: fc.constantFrom([], ['getItem', 'call'], 'getItem') })),
      // Mostly one or two arguments (what the methods take), sometimes past MAX_ARGUMENTS.
      argumentList: sometimes(fc.oneof({ weight: 9, arbitrary: fc.array(wire, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.array(wire, { maxLength: MAX_ARGUMENTS + 1 }) })),
      extra: rarely(fc.constant(1)),
    });
    fc.assert(
      fc.property(message.map(withoutUndefined), (data) => {
        const compact = parseCallMessage(data).ok;
        expect(compact, JSON.stringify(data)).toBe(specAcceptsCall(data));
        if (compact) accepted++;
      }),
      { numRuns: RUNS * 2, seed: 23 },
    );
    expect(accepted).toBeGreaterThan(RUNS / 50);
  });
});

describe('what one side builds, the other side reads', () => {
  test('every handshake the widget builds within the table limits passes the host check and the schema; the host’s ack passes the widget’s schema', () => {
    const nonce = fc.integer({ min: NONCE_LENGTH.min, max: NONCE_LENGTH.max }).chain((n) => fc.string({ minLength: n, maxLength: n, unit: 'grapheme-ascii' }));
    fc.assert(
      fc.property(fc.stringMatching(WIDGET_ID_PATTERN), nonce, (widgetId, value) => {
        const request = createHandshakeRequest(widgetId, value);
        expect(parseHandshakeRequest(request)).toEqual(request);
        expect(HandshakeRequestSchema.safeParse(request).success).toBe(true);
        expect(HandshakeAckSchema.safeParse(createHandshakeAck(value)).success).toBe(true);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('the specification stands on its own', () => {
  test.each(['handshake.ts', 'wire.ts', 'host-api.ts'])('%s imports nothing from the compact checks', (file) => {
    const source = readFileSync(path.join(__dirname, '../../../lib/protocol', file), 'utf8');
    const imports = [...source.matchAll(/from '\.\/([\w-]+)'/g)].map((match) => match[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => ['messages', 'methods', 'guards', 'reply'].includes(name as string))).toEqual([]);
  });
});
