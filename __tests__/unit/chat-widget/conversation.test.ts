import { describe, expect, test } from 'vitest';
import { MAX_STORED_MESSAGES, mergeConversations, parseConversation, serializeConversation } from '../../../lib/chat-widget/conversation';
import type { ChatMessage } from '../../../lib/chat-widget/chat-types';
import { STORAGE_LIMITS, storageLength, WIDGET_STORAGE_BUDGETS } from '../../../lib/protocol/limits';
import { uuidv7 } from '../../../lib/util/ids';

const message = (text: string, role: ChatMessage['role'] = 'visitor', at = 1_730_000_000_000): ChatMessage => ({ id: uuidv7(at), role, text, at });

/** `count` exchanges of a long visitor message (`#<n>#` then filler) and a short answer. */
function longConversation(count: number, length = 1900): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const text = `#${i + 1}# ${'x'.repeat(length)}`;
    return [message(text), message(`Thanks! We got “${text.slice(0, 57)}…”.`, 'agent')];
  }).flat();
}

describe('serializeConversation', () => {
  test('after 40 messages of 1,900 characters it keeps the newest that fit in the 64 K budget, whole and in order', () => {
    const messages = longConversation(40);
    const stored = serializeConversation(messages);
    expect(storageLength(stored)).toBeLessThanOrEqual(WIDGET_STORAGE_BUDGETS.conversation);
    const kept = parseConversation(stored);
    expect(kept.length).toBeGreaterThan(40);
    expect(kept).toEqual(messages.slice(-kept.length));
    // The next older message would not have fitted.
    expect(storageLength(JSON.stringify(messages.slice(-kept.length - 1)))).toBeGreaterThan(WIDGET_STORAGE_BUDGETS.conversation);
  });

  test('is exactly JSON.stringify of the kept messages when everything fits', () => {
    const messages = [message('hi'), message('Thanks!', 'agent')];
    expect(serializeConversation(messages)).toBe(JSON.stringify(messages));
    expect(serializeConversation([])).toBe('[]');
  });

  test('keeps at most 100 messages, however short', () => {
    const messages = Array.from({ length: 150 }, (_, i) => message(`m${i}`));
    const kept = parseConversation(serializeConversation(messages));
    expect(kept).toHaveLength(MAX_STORED_MESSAGES);
    expect(kept[0]?.text).toBe('m50');
  });

  test('counts what JSON escapes add: quotes, backslashes, newlines, control characters and emoji stay within the budget', () => {
    const budget = 4000;
    const nasty = '"\\\n\u0001😀é'.repeat(40);
    const messages = Array.from({ length: 30 }, (_, i) => message(`${i}:${nasty.slice(0, 10 + i * 3)}`));
    const stored = serializeConversation(messages, budget);
    expect(storageLength(stored)).toBeLessThanOrEqual(budget);
    const kept = parseConversation(stored);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(messages.length);
    expect(kept).toEqual(messages.slice(-kept.length));
  });

  test('stores a message over a quarter of the budget cut to fit, ending in …, with no surrogate pair split', () => {
    const budget = 4000;
    const huge = message('😀'.repeat(3000));
    const stored = serializeConversation([message('before'), huge, message('Thanks!', 'agent')], budget);
    expect(storageLength(stored)).toBeLessThanOrEqual(budget);
    const kept = parseConversation(stored);
    expect(kept.map((m) => m.role)).toEqual(['visitor', 'visitor', 'agent']);
    const cut = kept[1] as ChatMessage;
    expect(cut.id).toBe(huge.id);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.slice(0, -1)).toBe('😀'.repeat((cut.text.length - 1) / 2));
    expect(storageLength(JSON.stringify(cut))).toBeLessThanOrEqual((budget - 5) / 4);
    expect(storageLength(JSON.stringify(cut))).toBeGreaterThan((budget - 5) / 4 - 10);
  });

  test('the newest two exchanges are always stored, however long their messages', () => {
    const messages = ['a', 'b', 'c', 'd', 'e'].map((letter) => message(letter.repeat(40_000)));
    const stored = serializeConversation(messages);
    expect(storageLength(stored)).toBeLessThanOrEqual(WIDGET_STORAGE_BUDGETS.conversation);
    expect(parseConversation(stored).map((m) => m.text[0])).toEqual(['b', 'c', 'd', 'e']);
  });

  test('a single 100,000-character message is stored cut rather than refused by the host', () => {
    const stored = serializeConversation([message('y'.repeat(100_000))]);
    expect(storageLength(stored)).toBeLessThanOrEqual(STORAGE_LIMITS.maxValueLength);
    expect(parseConversation(stored)[0]?.text).toMatch(/^y+…$/);
  });
});

describe('WIDGET_STORAGE_BUDGETS', () => {
  test('each value fits the host’s per-value limit, and all together leave three quarters of the widget’s total free', () => {
    const budgets = Object.values(WIDGET_STORAGE_BUDGETS);
    for (const budget of budgets) expect(budget).toBeLessThanOrEqual(STORAGE_LIMITS.maxValueLength);
    const keys = ['conversation', 'session_id', 'open'].map(storageLength).reduce((a, b) => a + b, 0);
    expect(budgets.reduce((a: number, b) => a + b, 0) + keys).toBeLessThanOrEqual(STORAGE_LIMITS.maxTotalLength / 4);
  });

  test('the values the widget writes fit their budgets: a session id, and the open state', () => {
    expect(storageLength(uuidv7())).toBeLessThanOrEqual(WIDGET_STORAGE_BUDGETS.sessionId);
    expect(storageLength(String(false))).toBeLessThanOrEqual(WIDGET_STORAGE_BUDGETS.open);
  });
});

describe('mergeConversations', () => {
  test('keeps every message once, ordered by the time in its id; same-millisecond messages keep their order', () => {
    const stored = [message('a1', 'visitor', 1000), message('a2', 'agent', 1000), message('c1', 'visitor', 3000), message('c2', 'agent', 3000)];
    const typed = [message('b1', 'visitor', 2000), message('b2', 'agent', 2000), message('d1', 'visitor', 4000), message('d2', 'agent', 4000)];
    const merged = mergeConversations(stored, [...typed, stored[2] as ChatMessage]);
    expect(merged.map((m) => m.text)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'd1', 'd2']);
  });

  test('of two copies of a message the whole text wins over the stored cut one', () => {
    const whole = message('x'.repeat(100));
    const cut = { ...whole, text: `${'x'.repeat(10)}…` };
    expect(mergeConversations([cut], [whole])).toEqual([whole]);
    expect(mergeConversations([whole], [cut])).toEqual([whole]);
  });
});
