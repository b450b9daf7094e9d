import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WidgetPreview } from '../../../components/chat-widget/WidgetPreview';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetContent } from '../../../lib/protocol/widget-document';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
afterEach(async () => {
  await act(async () => root?.unmount());
  root = null;
  vi.restoreAllMocks();
});

async function render(content: WidgetContent): Promise<HTMLElement> {
  const container = document.createElement('div');
  root = createRoot(container);
  await act(async () => root?.render(<WidgetPreview content={content} />));
  return container;
}

describe('WidgetPreview', () => {
  test('renders the open panel from a draft: title, accent, greeting, the first question, and each offer first variant once its answer is picked', async () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const content: WidgetContent = { ...DEFAULT_WIDGET_CONTENT, greeting: 'Draft greeting', theme: { ...DEFAULT_WIDGET_CONTENT.theme, launcherLabel: 'Help', accentColor: '#123456' } };
    const view = await render(content);
    expect(view.querySelector('.fw-title')?.textContent).toBe('Help');
    expect(view.querySelector<HTMLElement>('.fw-app')?.style.getPropertyValue('--fw-accent')).toBe('#123456');
    expect(view.textContent).toContain('Draft greeting');
    expect(view.querySelector('[data-testid="chat-input"]')).not.toBeNull();

    await act(async () => view.querySelector<HTMLElement>('[data-answer-id="a-trail"]')?.click());
    const button = view.querySelector<HTMLElement>('[data-testid="offer-button"]');
    expect(button?.dataset).toMatchObject({ offerId: 'offer-trail', variantId: 'v-primary' });
    expect(button?.textContent).toBe('Shop trail shoes');
    await act(async () => button?.click());
    expect(open).not.toHaveBeenCalled();
  });

  test('follows the draft as it changes, and hides the composer when the chat is off', async () => {
    const view = await render(DEFAULT_WIDGET_CONTENT);
    await act(async () => root?.render(<WidgetPreview content={{ ...DEFAULT_WIDGET_CONTENT, greeting: 'Edited', chat: { enabled: false } }} />));
    expect(view.textContent).toContain('Edited');
    expect(view.querySelector('[data-testid="chat-input"]')).toBeNull();
  });
});
