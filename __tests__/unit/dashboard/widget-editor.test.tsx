import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DashboardError, DashboardErrorCode } from '../../../components/dashboard/api/dashboard-error';
import type { WidgetsClient } from '../../../components/dashboard/api/widgets-client';
import { WidgetEditor } from '../../../components/dashboard/editor/WidgetEditor';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';
import type { WidgetContent, WidgetDocument, WidgetDocumentInput } from '../../../lib/protocol/widget-document';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// The real preview is the widget's; this one fails on a greeting of "boom", as a preview may on a half-typed draft.
vi.mock('../../../components/chat-widget/WidgetPreview', () => ({
  WidgetPreview({ content }: { content: WidgetContent }) {
    if (content.greeting === 'boom') throw new Error('cannot render');
    return <p data-testid="widget-preview">{content.greeting}</p>;
  },
}));

const stored = (revision: number, greeting = DEFAULT_WIDGET_CONTENT.greeting): WidgetDocument => ({
  id: 'shop',
  owner: 'acme',
  name: 'Shop',
  allowedOrigins: ['https://shop.example'],
  content: { ...DEFAULT_WIDGET_CONTENT, greeting },
  revision,
  updatedAt: 1,
  webhookUrl: null,
  webhookSecretSet: false,
});

function fakeClient(document: () => WidgetDocument) {
  const save = vi.fn<WidgetsClient['save']>();
  const get = vi.fn<WidgetsClient['get']>(() => Promise.resolve(document()));
  const rotate = vi.fn<WidgetsClient['rotateWebhookSecret']>();
  const client: WidgetsClient = { list: vi.fn(() => Promise.resolve([])), get, save, rotateWebhookSecret: rotate };
  return { client, get, save, rotate };
}

let root: Root;
let container: HTMLElement;
const errors = vi.spyOn(console, 'error');

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  errors.mockImplementation(() => undefined);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  errors.mockReset();
});

const flush = () => act(async () => {});
const field = (path: string) => {
  const element = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-path="${path}"]`);
  if (!element) throw new Error(`no field at ${path}`);
  return element;
};
const saveButton = () => container.querySelector<HTMLButtonElement>('[data-testid="editor-save"]')!;
const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);

/** Types into a React-controlled field as a user would (the native setter, then an input event). */
async function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element) as object, 'value')?.set;
  await act(async () => {
    setter?.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
const click = (element: HTMLElement) => act(async () => element.click());

async function open(client: WidgetsClient, isNew = false, onCreated = vi.fn()) {
  await act(async () => root.render(<WidgetEditor client={client} widget={{ widgetId: 'shop', isNew }} onCreated={onCreated} onKeyRefused={vi.fn()} />));
  await flush();
  return { onCreated };
}

describe('the widget editor', () => {
  test('shows a problem next to its field and disables Save while the draft is invalid', async () => {
    const { client } = fakeClient(() => stored(3));
    await open(client);
    const greeting = field('content.greeting');
    expect(greeting.value).toBe(DEFAULT_WIDGET_CONTENT.greeting);
    await type(greeting, 'Hello');
    expect(saveButton().disabled).toBe(false);

    await type(greeting, '');
    expect(saveButton().disabled).toBe(true);
    const problems = document.getElementById(greeting.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '');
    expect(problems?.textContent).toBe('greeting must not be empty');
    expect(greeting.getAttribute('aria-invalid')).toBe('true');
    expect(byTestId('editor-status')?.textContent).toBe('One problem to fix before saving.');
  });

  test('Save is off until something changed, then sends the loaded revision and keeps the new one for the next save', async () => {
    const { client, save } = fakeClient(() => stored(3));
    save.mockImplementation((_id, input: WidgetDocumentInput, revision) =>
      Promise.resolve({ outcome: 'updated', document: { ...stored((revision ?? 0) + 1), ...input, webhookUrl: null } }),
    );
    await open(client);
    expect(saveButton().disabled).toBe(true);
    await type(field('content.greeting'), 'Welcome back!');
    expect(byTestId('widget-preview')?.textContent).toBe('Welcome back!');
    await click(saveButton());
    expect(save).toHaveBeenCalledTimes(1);
    const [widgetId, input, revision] = save.mock.calls[0]!;
    expect([widgetId, revision]).toEqual(['shop', 3]);
    expect(input.content.greeting).toBe('Welcome back!');
    expect(input.allowedOrigins).toEqual(['https://shop.example']);
    expect(byTestId('editor-status')?.textContent).toMatch(/^Saved at .* \(revision 4\)\.$/);
    expect(saveButton().disabled).toBe(true);

    await type(field('content.greeting'), 'Welcome back again!');
    await click(saveButton());
    expect(save.mock.calls[1]?.[2]).toBe(4);
  });

  test('a stale save keeps the draft, says someone else saved, and only a reload (dropping the draft) loads theirs', async () => {
    let current = stored(3);
    const { client, get, save } = fakeClient(() => current);
    save.mockRejectedValue(new DashboardError(DashboardErrorCode.STALE_REVISION, 'stale revision', { status: 412, revision: 4 }));
    await open(client);
    await type(field('content.greeting'), 'Mine');
    current = stored(4, 'Theirs');
    await click(saveButton());

    const stale = byTestId('editor-stale');
    expect(stale?.textContent).toContain('Someone else saved this widget after you loaded it (it is now at revision 4)');
    expect(field('content.greeting').value).toBe('Mine');
    expect(saveButton().disabled).toBe(true);
    expect(save).toHaveBeenCalledTimes(1);

    const reload = [...stale!.querySelectorAll('button')].find((button) => button.textContent === 'Reload (discard my changes)')!;
    await click(reload);
    await flush();
    expect(get).toHaveBeenCalledTimes(2);
    expect(field('content.greeting').value).toBe('Theirs');
    expect(byTestId('editor-stale')).toBeNull();
    expect(container.querySelector('[data-testid="widget-editor"]')?.getAttribute('data-revision')).toBe('4');
  });

  test('the collector’s problems show at their fields, and the ones without a field at the top', async () => {
    const { client, save } = fakeClient(() => stored(3));
    save.mockRejectedValue(
      new DashboardError(DashboardErrorCode.BAD_REQUEST, 'invalid widget document', {
        status: 400,
        problems: [
          { path: 'name', message: 'name is taken' },
          { path: 'content', message: 'content must be at most 32768 characters as JSON' },
        ],
      }),
    );
    await open(client);
    await type(field('name'), 'Shop 2');
    await click(saveButton());
    expect(field('name').closest('.fwd-field')?.textContent).toContain('name is taken');
    expect(byTestId('editor-problems')?.textContent).toContain('content must be at most 32768 characters as JSON');
    // Any change makes the collector's verdict stale: it goes away.
    await type(field('name'), 'Shop 3');
    expect(byTestId('editor-problems')).toBeNull();
  });

  test('a new widget starts from the built-in content and is created by its first save, without a revision', async () => {
    const { client, get, save } = fakeClient(() => stored(1));
    save.mockResolvedValue({ outcome: 'created', document: stored(1) });
    const { onCreated } = await open(client, true);
    expect(get).not.toHaveBeenCalled();
    expect(field('name').value).toBe('shop');
    expect(saveButton().textContent).toBe('Create widget');
    expect(saveButton().disabled).toBe(false);
    await click(saveButton());
    expect(save.mock.calls[0]?.[2]).toBeNull();
    expect(onCreated).toHaveBeenCalledTimes(1);
    expect(saveButton().textContent).toBe('Save');
  });

  test('a draft the preview cannot render shows a note instead, and the preview comes back with the next change', async () => {
    const { client } = fakeClient(() => stored(3));
    await open(client);
    await type(field('content.greeting'), 'boom');
    expect(byTestId('preview-failed')).not.toBeNull();
    expect(field('content.greeting').value).toBe('boom');
    await type(field('content.greeting'), 'boom!');
    expect(byTestId('preview-failed')).toBeNull();
    expect(byTestId('widget-preview')?.textContent).toBe('boom!');
  });

  test('adds, reorders and removes questions from the form', async () => {
    const { client } = fakeClient(() => stored(3));
    await open(client);
    const button = (text: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === text)!;
    await click(button('Add question'));
    expect(container.querySelectorAll('[data-testid="question-fields"]')).toHaveLength(2);
    await type(field('content.survey.questions.1.text'), 'Second?');
    await click(button('Up (move question 2 up)'));
    expect(field('content.survey.questions.0.text').value).toBe('Second?');
    await click(button('Remove question 1'));
    expect(container.querySelectorAll('[data-testid="question-fields"]')).toHaveLength(1);
    expect(field('content.survey.questions.0.text').value).toBe('What brings you here today?');
  });

  test('a save keeps every field of the loaded document the form does not edit, and sends the webhook URL only once changed', async () => {
    // A collector newer than the page: a top-level field and a content field the editor does not know.
    const document = { ...stored(3), webhookUrl: 'https://bot.example/old', futureField: { keep: true }, content: { ...stored(3).content, futureContent: 7 } };
    const { client, save } = fakeClient(() => document as unknown as WidgetDocument);
    save.mockImplementation((_id, input, revision) =>
      Promise.resolve({ outcome: 'updated', document: { ...stored((revision ?? 0) + 1), ...input, webhookUrl: input.webhookUrl ?? null } }),
    );
    await open(client);
    expect(field('webhookUrl').value).toBe('https://bot.example/old');

    await type(field('content.greeting'), 'Hi!');
    await click(saveButton());
    const first = save.mock.calls[0]![1] as unknown as Record<string, unknown>;
    expect(first.futureField).toEqual({ keep: true });
    expect((first.content as Record<string, unknown>).futureContent).toBe(7);
    expect((first.content as Record<string, unknown>).greeting).toBe('Hi!');
    // Unchanged: left out (the collector keeps it); the collector's own fields are never sent.
    expect('webhookUrl' in first).toBe(false);
    for (const own of ['id', 'owner', 'revision', 'updatedAt']) expect(own in first, own).toBe(false);

    await type(field('webhookUrl'), '');
    await click(saveButton());
    expect((save.mock.calls[1]![1] as unknown as Record<string, unknown>).webhookUrl).toBeNull();
  });

  test('the webhook URL must be an absolute http(s) URL; a document without the field saves without it', async () => {
    const { client, save } = fakeClient(() => stored(3));
    save.mockResolvedValue({ outcome: 'updated', document: stored(4) });
    await open(client);
    expect(field('webhookUrl').value).toBe('');
    await type(field('webhookUrl'), 'bot.example/hook');
    expect(saveButton().disabled).toBe(true);
    expect(field('webhookUrl').closest('.fwd-field')?.textContent).toContain('webhookUrl must be an absolute http(s) URL');
    await type(field('webhookUrl'), 'ftp://bot.example/hook');
    expect(saveButton().disabled).toBe(true);
    await type(field('webhookUrl'), 'https://bot.example/hook');
    expect(saveButton().disabled).toBe(false);
    await click(saveButton());
    expect((save.mock.calls[0]![1] as unknown as Record<string, unknown>).webhookUrl).toBe('https://bot.example/hook');
  });

  test('the secret of the save that first set a URL, and of a rotation, shows once with a warning and goes for good when dismissed', async () => {
    const { client, save, rotate } = fakeClient(() => stored(3));
    save.mockResolvedValue({ outcome: 'updated', document: { ...stored(4), webhookUrl: 'https://bot.example/hook' } as WidgetDocument, webhookSecret: 'whsec_first' });
    rotate.mockResolvedValue('whsec_rotated');
    await open(client);
    expect(byTestId('webhook-secret')).toBeNull();
    await type(field('webhookUrl'), 'https://bot.example/hook');
    await click(saveButton());
    expect(byTestId('webhook-secret-value')?.textContent).toBe('whsec_first');
    expect(byTestId('webhook-secret')?.textContent).toContain('it will not be shown again');

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(byTestId('webhook-secret-copy')!);
    expect(writeText).toHaveBeenCalledWith('whsec_first');
    expect(byTestId('webhook-secret-copy')?.textContent).toBe('Copied');

    await click(byTestId('webhook-secret-done')!);
    expect(byTestId('webhook-secret')).toBeNull();
    expect(container.textContent).not.toContain('whsec_first');

    await click(byTestId('webhook-rotate')!);
    expect(rotate).toHaveBeenCalledWith('shop', expect.any(AbortSignal));
    expect(byTestId('webhook-secret-value')?.textContent).toBe('whsec_rotated');
    await click(byTestId('webhook-secret-done')!);
    expect(container.textContent).not.toContain('whsec_rotated');
    // Nothing of it was kept in storage.
    expect(JSON.stringify({ ...sessionStorage, ...localStorage })).not.toContain('whsec_');
  });

  test('a failed rotation says why, and a new widget cannot rotate before its first save', async () => {
    const { client, rotate } = fakeClient(() => stored(3));
    rotate.mockRejectedValue(new DashboardError(DashboardErrorCode.UNAVAILABLE, 'down', { status: 503 }));
    await open(client);
    await click(byTestId('webhook-rotate')!);
    expect(byTestId('webhook-rotate-error')?.textContent).toContain('Not rotated');
    expect(byTestId('webhook-secret')).toBeNull();
    act(() => root.unmount());
    root = createRoot(container);
    await open(client, true);
    expect((byTestId('webhook-rotate') as HTMLButtonElement).disabled).toBe(true);
  });
});
