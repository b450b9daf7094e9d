import { describe, expect, test } from 'vitest';
import { resolveHostOrigin } from '../../../lib/chat-widget/host-origin';

const win = (search: string, referrer: string, ancestorOrigins?: string[]) =>
  ({
    location: {
      search,
      ...(ancestorOrigins && {
        ancestorOrigins: { length: ancestorOrigins.length, item: (index: number) => ancestorOrigins[index] ?? null },
      }),
    },
    document: { referrer },
  }) as unknown as Window;

describe('resolveHostOrigin', () => {
  test("trusts the browser's ancestorOrigins first", () => {
    expect(resolveHostOrigin(win('?host=https://liar.example', '', ['https://shop.example']))).toBe('https://shop.example');
  });

  test('takes the host parameter when the referrer has the same origin', () => {
    expect(resolveHostOrigin(win('?host=https%3A%2F%2Fshop.example', 'https://shop.example/'))).toBe('https://shop.example');
  });

  test.each([
    ['a referrer of another origin', '?host=https://shop.example', 'https://evil.example/'],
    ['no referrer', '?host=https://shop.example', ''],
    ['no host parameter', '', 'https://shop.example/'],
    ['a host parameter that is not a URL', '?host=shop', 'https://shop.example/'],
  ])('answers null for %s', (_name, search, referrer) => {
    expect(resolveHostOrigin(win(search, referrer))).toBeNull();
  });

  test('answers null for an opaque ancestor origin', () => {
    expect(resolveHostOrigin(win('', '', ['null']))).toBeNull();
  });
});
