import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ChatWidget } from '../../../components/chat-widget/ChatWidget';
import type { ChatWidgetProps } from '../../../components/chat-widget/ChatWidget';
import { createChatServices } from '../../../lib/chat-widget/chat-services';
import type { ChatServices } from '../../../lib/chat-widget/chat-services';
import type { BridgeClient } from '../../../lib/chat-widget/bridge-client';
import { variantFor } from '../../../lib/chat-widget/variant';
import type { TrackEvent } from '../../../lib/protocol/host-api';
import { SESSION_ID_KEY, WIDGET_CONFIG_KEY } from '../../../lib/protocol/limits';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetContent } from '../../../lib/protocol/widget-document';
import { storageHost } from '../support/storage-host';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let services: ChatServices | null = null;
let container: HTMLElement;
let host: ReturnType<typeof storageHost>;

beforeEach(() => {
  vi.useFakeTimers();
  sessionStorage.clear();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = storageHost();
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(async () => {
  await act(async () => root?.unmount());
  services?.destroy();
  container.remove();
  root = null;
  services = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Mounts the widget on the host stand-in (basic adapter) and lets it load. */
async function mount(props: Partial<ChatWidgetProps> = {}): Promise<void> {
  const bridge = host.bridge as unknown as BridgeClient;
  services = createChatServices({ bridge, widgetId: 'demo' });
  const own = services;
  root = createRoot(container);
  await act(async () => root?.render(<ChatWidget bridge={bridge} services={own} widgetId="demo" {...props} />));
  await settle();
}

const settle = async (): Promise<void> => {
  await act(() => vi.advanceTimersByTimeAsync(50));
};
const $ = (selector: string): HTMLElement | null => container.querySelector<HTMLElement>(selector);
const $$ = (selector: string): HTMLElement[] => [...container.querySelectorAll<HTMLElement>(selector)];
async function click(selector: string): Promise<void> {
  const element = $(selector);
  if (!element) throw new Error(`Nothing matches ${selector}`);
  await act(async () => element.click());
  await settle();
}

/** Every event the widget handed to the host's `track`. */
const tracked = (): TrackEvent[] => host.call.mock.calls.filter(([method]) => method === 'track').flatMap(([, events]) => events as TrackEvent[]);
const analytics = (name: string) =>
  tracked().flatMap((event) => (event.type === 'analytics' && event.name === name ? [{ category: event.category, properties: event.properties }] : []));
const sessionId = (): string => host.get(SESSION_ID_KEY) ?? '';

describe('ChatWidget renders its content', () => {
  test('the greeting and the first question; an answer records survey_answered and shows its offer with the visitor variant, and the click carries it', async () => {
    await mount();
    expect($('[data-testid="chat-messages"]')?.textContent).toContain(DEFAULT_WIDGET_CONTENT.greeting);
    expect($$('[data-testid="answer-button"]').map((b) => b.dataset.answerId)).toEqual(['a-trail', 'a-hiking', 'a-browse']);
    expect($('[data-testid="offer-button"]')).toBeNull();

    await click('[data-answer-id="a-trail"]');
    expect(analytics('survey_answered')).toEqual([{ category: 'engagement', properties: { questionId: 'q-visit-reason', answerId: 'a-trail' } }]);
    const trail = DEFAULT_WIDGET_CONTENT.survey.questions[0]?.answers[0]?.offer;
    if (!trail) throw new Error('The default content has no trail offer.');
    const expected = variantFor(sessionId(), trail);
    const button = $('[data-testid="offer-button"]');
    expect(button?.dataset).toMatchObject({ offerId: 'offer-trail', variantId: expected.buttonVariantId });
    expect(button?.textContent).toBe(expected.label);
    // With variants, the offer's own label is said above the button.
    expect($('.fw-offer-card')?.textContent).toContain(trail.label);

    await click('[data-testid="offer-button"]');
    const clicks = tracked().filter((event) => event.type === 'click');
    expect(clicks).toMatchObject([{ offerId: 'offer-trail', questionId: 'q-visit-reason', buttonVariantId: expected.buttonVariantId }]);

    // Another answer replaces the offer; one without an offer shows none.
    await click('[data-answer-id="a-hiking"]');
    expect($('[data-testid="offer-button"]')?.dataset).toMatchObject({ offerId: 'offer-boots', variantId: 'default' });
    expect($('[data-testid="offer-button"]')?.textContent).toBe('See hiking boots');
    await click('[data-answer-id="a-browse"]');
    expect($('[data-testid="offer-button"]')).toBeNull();
  });

  test('questions come one after another: the next shows once the one before is answered', async () => {
    const content: WidgetContent = {
      ...DEFAULT_WIDGET_CONTENT,
      survey: {
        questions: [
          { id: 'q1', text: 'First?', answers: [{ id: 'a1', label: 'Yes' }] },
          { id: 'q2', text: 'Second?', answers: [{ id: 'a2', label: 'Sure', offer: { offerId: 'o2', label: 'Take it' } }] },
        ],
      },
    };
    await mount({ content });
    expect($$('[data-question-id]').map((q) => q.dataset.questionId)).toEqual(['q1']);
    await click('[data-answer-id="a1"]');
    expect($$('[data-question-id]').map((q) => q.dataset.questionId)).toEqual(['q1', 'q2']);
    await click('[data-answer-id="a2"]');
    expect($('[data-question-id="q2"] [data-testid="offer-button"]')?.dataset.offerId).toBe('o2');
  });

  test('offer_shown is recorded once per offer per page view, when the open panel shows it', async () => {
    await mount();
    await click('[data-answer-id="a-hiking"]');
    expect(analytics('offer_shown')).toEqual([
      { category: 'conversion', properties: { offerId: 'offer-boots', questionId: 'q-visit-reason', buttonVariantId: 'default' } },
    ]);
    // Closed and reopened with the offer on screen: not again.
    await click('[data-testid="chat-minimise"]');
    await click('[data-testid="chat-minimise"]');
    // Picked again: not again either.
    await click('[data-answer-id="a-browse"]');
    await click('[data-answer-id="a-hiking"]');
    expect(analytics('offer_shown')).toHaveLength(1);
    // Another offer is another view.
    await click('[data-answer-id="a-trail"]');
    expect(analytics('offer_shown').map((event) => event.properties?.offerId)).toEqual(['offer-boots', 'offer-trail']);
  });

  test('offer_shown is not recorded while the panel is minimised, and is once it opens', async () => {
    // A slow host: the content is read before the visitor id, so an offer picked meanwhile waits for its variant.
    host = storageHost({ latency: 400 });
    await mount();
    await act(() => vi.advanceTimersByTimeAsync(500));
    await click('[data-answer-id="a-hiking"]');
    expect(sessionId()).toBe('');
    expect($('[data-testid="offer-button"]')).toBeNull();
    await click('[data-testid="chat-minimise"]');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(sessionId()).not.toBe('');
    expect(analytics('offer_shown')).toEqual([]);
    await click('[data-testid="chat-minimise"]');
    expect($('[data-testid="offer-button"]')?.dataset.offerId).toBe('offer-boots');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(analytics('offer_shown')).toHaveLength(1);
  });

  test('a cached config shows its title, accent colour and no composer when chat is off, and its theme goes to the host', async () => {
    const content: WidgetContent = {
      ...DEFAULT_WIDGET_CONTENT,
      greeting: 'Welcome to the shop',
      theme: { accentColor: '#ff5500', position: 'bottom-left', launcherLabel: 'Ask us' },
      chat: { enabled: false },
    };
    host.storage.setItem(WIDGET_CONFIG_KEY, JSON.stringify({ etag: '"7"', config: { widgetId: 'demo', revision: 7, content } }));
    await mount();
    expect($('.fw-title')?.textContent).toBe('Ask us');
    expect($('.fw-app')?.style.getPropertyValue('--fw-accent')).toBe('#ff5500');
    expect($('[data-testid="chat-messages"]')?.textContent).toContain('Welcome to the shop');
    expect($('[data-testid="chat-input"]')).toBeNull();
    expect(host.call.mock.calls.filter(([method]) => method === 'setAppearance')).toEqual([
      ['setAppearance', { accentColor: '#ff5500', position: 'bottom-left', launcherLabel: 'Ask us' }],
    ]);
  });

  test('a config from the collector replaces the built-in content; opening the panel asks again once the last answer is over 60 s old', async () => {
    const content: WidgetContent = { ...DEFAULT_WIDGET_CONTENT, greeting: 'From the collector' };
    const fetchConfig = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve({
        status: 200,
        headers: new Headers({ ETag: '"9"' }),
        json: () => Promise.resolve({ widgetId: 'demo', revision: 9, content }),
      } as unknown as Response),
    );
    await mount({ collectorUrl: 'https://collector.example', configLoader: { fetch: fetchConfig } });
    expect($('[data-testid="chat-messages"]')?.textContent).toContain('From the collector');
    expect(String(fetchConfig.mock.calls[0]?.[0])).toBe('https://collector.example/api/widgets/demo/config');
    expect(JSON.parse(host.get(WIDGET_CONFIG_KEY) ?? '{}')).toMatchObject({ etag: '"9"', config: { revision: 9 } });

    await click('[data-testid="chat-minimise"]');
    await click('[data-testid="chat-minimise"]');
    expect(fetchConfig).toHaveBeenCalledTimes(1);
    await click('[data-testid="chat-minimise"]');
    await act(() => vi.advanceTimersByTimeAsync(61_000));
    await click('[data-testid="chat-minimise"]');
    expect(fetchConfig).toHaveBeenCalledTimes(2);
    expect(fetchConfig.mock.calls[1]?.[1]?.headers).toMatchObject({ 'If-None-Match': '"9"' });
  });

  test('an invalid cached config is reported as an error event without its content, and the built-in content shows', async () => {
    const content = { ...DEFAULT_WIDGET_CONTENT, greeting: 'Private words', chat: { enabled: 'yes' } };
    host.storage.setItem(WIDGET_CONFIG_KEY, JSON.stringify({ etag: '"2"', config: { widgetId: 'demo', revision: 2, content } }));
    await mount();
    expect($('[data-testid="chat-messages"]')?.textContent).toContain(DEFAULT_WIDGET_CONTENT.greeting);
    const errors = analytics('error');
    expect(errors).toEqual([{ category: 'config', properties: { where: 'config', source: 'cache', paths: ['content.chat.enabled'] } }]);
    expect(JSON.stringify(errors)).not.toContain('Private');
    expect(host.call.mock.calls.some(([method]) => method === 'setAppearance')).toBe(false);
  });
});
