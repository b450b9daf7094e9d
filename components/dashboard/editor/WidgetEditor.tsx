import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { describeDashboardError, isDashboardError, isKeyRefused } from '../api/index';
import type { WidgetChoice, WidgetsClient } from '../api/index';
import type { WidgetDocument } from '../../../lib/protocol/widget-document';
import { formatClock } from '../format';
import { placeProblems } from './field-paths';
import { checkForm, contentOf, formOf, newWidgetForm, sameDocument } from './form-model';
import type { WidgetForm } from './form-model';
import { EditorFields } from './EditorFields';
import { PreviewPane } from './PreviewPane';
import { FieldsContext } from './problems-context';
import { saveFailure } from './save-outcome';
import { saveBodyOf } from './webhook';
import { WebhookFields } from './WebhookFields';
import type { RotationState } from './WebhookFields';
import type { SaveState } from './save-outcome';

/** Props of {@link WidgetEditor}. */
export interface WidgetEditorProps {
  client: WidgetsClient;
  widget: WidgetChoice;
  /** The first save created the widget: it is registered from now on. */
  onCreated: () => void;
  /** The collector refused the key (401): back to sign-in. */
  onKeyRefused: (error: unknown) => void;
  /** Told whenever the draft starts or stops differing from what is saved. */
  onDirtyChange?: (dirty: boolean) => void;
  /** Every document the collector answers with (loaded or saved): what the widget shows now. */
  onDocument?: (document: WidgetDocument) => void;
}

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  /** `revision` null: a new widget, created by the first save; `document`: as loaded or last saved (null before the first save). */
  | { status: 'ready'; revision: number | null; baseline: WidgetForm; document: WidgetDocument | null };

/**
 * The widget's document as a form, with a live preview beside it.
 *
 * 1. Loads the document (a new widget starts from the built-in content) and keeps its revision.
 * 2. Every change is checked with the contract's schema; each problem shows next to its
 *    field (the ones without a field at the top) and Save stays disabled while there is one.
 * 3. Save sends the revision loaded as `If-Match`. A 412 (someone saved in between) keeps the
 *    draft and offers to reload, which drops it: nothing is ever overwritten silently. A 400
 *    shows the collector's problems at their fields.
 * 4. Leaving the page with unsaved changes asks first (`beforeunload`).
 * 5. A save sends every field of the loaded document the form does not edit, as it was
 *    (`saveBodyOf`), and the webhook URL only when it changed. A webhook secret (from the
 *    save that first set a URL, or from "Rotate secret") is shown once and kept nowhere.
 */
export function WidgetEditor({ client, widget, onCreated, onKeyRefused, onDirtyChange, onDocument }: WidgetEditorProps) {
  // A new widget starts from the built-in content, with nothing to load.
  const [form, setForm] = useState<WidgetForm | null>(() => (widget.isNew ? newWidgetForm(widget.widgetId) : null));
  const [loaded, setLoaded] = useState<Loaded>(() => (form === null ? { status: 'loading' } : { status: 'ready', revision: null, baseline: form, document: null }));
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [reloads, setReloads] = useState(0);
  const [secret, setSecret] = useState<string | null>(null);
  const [rotation, setRotation] = useState<RotationState>({ status: 'idle' });
  const rotating = useRef<AbortController | null>(null);
  const fresh = useRef(widget.isNew);
  const saving = useRef<AbortController | null>(null);
  const idPrefix = useId();
  const onDocumentRef = useRef(onDocument);
  useEffect(() => {
    onDocumentRef.current = onDocument;
  });

  useEffect(() => {
    if (fresh.current) return;
    const controller = new AbortController();
    client.get(widget.widgetId, controller.signal).then(
      (document) => {
        if (controller.signal.aborted) return;
        const loadedForm = formOf(document);
        onDocumentRef.current?.(document);
        setForm(loadedForm);
        setLoaded({ status: 'ready', revision: document.revision, baseline: loadedForm, document });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isKeyRefused(error)) onKeyRefused(error);
        const message = isDashboardError(error, 'NOT_FOUND') ? `This key may not see widget ${widget.widgetId}.` : describeDashboardError(error);
        setLoaded({ status: 'failed', message });
      },
    );
    return () => controller.abort();
  }, [client, widget.widgetId, reloads, onKeyRefused]);

  useEffect(
    () => () => {
      saving.current?.abort();
      rotating.current?.abort();
    },
    [],
  );

  const check = useMemo(() => (form === null ? null : checkForm(form)), [form]);
  const dirty = form !== null && loaded.status === 'ready' && !sameDocument(form, loaded.baseline);
  const creating = loaded.status === 'ready' && loaded.revision === null;

  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const change = useCallback((edit: (current: WidgetForm) => WidgetForm) => {
    setForm((current) => (current === null ? current : edit(current)));
    // The collector's problems were about the draft as it was: a change makes them stale.
    setSave((current) => (current.status === 'invalid' || current.status === 'saved' || current.status === 'failed' ? { status: 'idle' } : current));
  }, []);

  /** Loads the stored document again, dropping the draft (after a 412, or a failed load). */
  const reload = (): void => {
    saving.current?.abort();
    fresh.current = false;
    setLoaded({ status: 'loading' });
    setSave({ status: 'idle' });
    setReloads((n) => n + 1);
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (form === null || check === null || !check.valid || loaded.status !== 'ready' || save.status === 'saving') return;
    const submitted = form;
    saving.current?.abort();
    const controller = new AbortController();
    saving.current = controller;
    setSave({ status: 'saving' });
    try {
      const body = saveBodyOf(check.input, loaded.document, { now: submitted.webhookUrl, saved: loaded.baseline.webhookUrl });
      const saved = await client.save(widget.widgetId, body, loaded.revision, controller.signal);
      if (controller.signal.aborted) return;
      fresh.current = false;
      onDocumentRef.current?.(saved.document);
      if (saved.webhookSecret !== undefined) setSecret(saved.webhookSecret);
      setLoaded({ status: 'ready', revision: saved.document.revision, baseline: submitted, document: saved.document });
      setSave({ status: 'saved', outcome: saved.outcome, revision: saved.document.revision, at: Date.now() });
      if (saved.outcome === 'created' || loaded.revision === null) onCreated();
    } catch (error) {
      if (controller.signal.aborted) return;
      if (isKeyRefused(error)) onKeyRefused(error);
      setSave(saveFailure(error, loaded.revision === null));
    }
  };

  /** Asks the collector for a new webhook secret, shown once. */
  const rotate = async (): Promise<void> => {
    rotating.current?.abort();
    const controller = new AbortController();
    rotating.current = controller;
    setRotation({ status: 'rotating' });
    try {
      const rotated = await client.rotateWebhookSecret(widget.widgetId, controller.signal);
      if (controller.signal.aborted) return;
      setSecret(rotated);
      setRotation({ status: 'idle' });
    } catch (error) {
      if (controller.signal.aborted) return;
      if (isKeyRefused(error)) onKeyRefused(error);
      setRotation({ status: 'failed', message: describeDashboardError(error) });
    }
  };

  if (loaded.status === 'loading' || (loaded.status === 'ready' && form === null)) {
    return (
      <p className="fwd-muted" role="status" data-testid="editor-loading">
        Loading the widget…
      </p>
    );
  }
  if (loaded.status === 'failed' || form === null || check === null) {
    return (
      <div className="fwd-alert fwd-alert--error fwd-alert--row" role="alert" data-testid="editor-error">
        <p>{loaded.status === 'failed' ? loaded.message : 'The widget could not be loaded.'}</p>
        <button type="button" className="fwd-button" onClick={reload}>
          Retry
        </button>
      </div>
    );
  }

  const serverProblems = save.status === 'invalid' ? save.problems : [];
  const placed = placeProblems([...check.problems, ...serverProblems], form);
  const problemCount = check.problems.length + serverProblems.length;
  const canSave = check.valid && save.status !== 'saving' && save.status !== 'stale' && (dirty || creating);

  return (
    <FieldsContext.Provider value={{ problems: placed, idPrefix }}>
      <form className="fwd-editor" method="post" noValidate onSubmit={(event) => void submit(event)} data-testid="widget-editor" data-revision={loaded.revision ?? ''}>
        <div className="fwd-editor__bar">
          <div>
            <h2 className="fwd-editor__title">{creating ? 'New widget' : 'Edit widget'}</h2>
            <p className="fwd-muted fwd-subtitle" data-testid="editor-status" role="status">
              {statusLine(save, dirty, creating, loaded.revision, problemCount)}
            </p>
          </div>
          <button type="submit" className="fwd-button fwd-button--primary" disabled={!canSave} data-testid="editor-save">
            {save.status === 'saving' ? 'Saving…' : creating ? 'Create widget' : 'Save'}
          </button>
        </div>
        {save.status === 'stale' && (
          <div className="fwd-alert fwd-alert--error fwd-alert--row" role="alert" data-testid="editor-stale">
            <p>
              {creating ? 'Someone else created a widget with this id meanwhile' : 'Someone else saved this widget after you loaded it'}
              {save.revision === null ? '' : ` (it is now at revision ${save.revision})`}. Your changes were not saved. Reload to see theirs; your draft is
              then lost, so copy anything you want to keep first.
            </p>
            <button type="button" className="fwd-button" onClick={reload}>
              Reload (discard my changes)
            </button>
          </div>
        )}
        {save.status === 'failed' && (
          <p className="fwd-alert fwd-alert--error" role="alert" data-testid="editor-save-error">
            Not saved: {save.message}
          </p>
        )}
        {placed.general.length > 0 && (
          <div className="fwd-alert fwd-alert--error" role="alert" data-testid="editor-problems">
            <p>{save.status === 'invalid' ? 'The collector refused the widget:' : 'Fix these before saving:'}</p>
            <ul className="fwd-problems fwd-problems--general">
              {placed.general.map((problem) => (
                <li key={`${problem.path}:${problem.message}`}>
                  {problem.path === '' ? '' : <code>{problem.path}</code>} {problem.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="fwd-editor__layout">
          <div className="fwd-editor__fields">
            <EditorFields form={form} change={change} />
            <WebhookFields
              form={form}
              change={change}
              creating={creating}
              secret={secret}
              rotation={rotation}
              onRotate={() => void rotate()}
              onDismissSecret={() => setSecret(null)}
            />
          </div>
          <div className="fwd-editor__aside">
            <PreviewPane content={contentOf(form)} />
          </div>
        </div>
      </form>
    </FieldsContext.Provider>
  );
}

/** The line under the editor's title: what the draft is, next to what is saved. */
function statusLine(save: SaveState, dirty: boolean, creating: boolean, revision: number | null, problems: number): string {
  if (save.status === 'saving') return 'Saving…';
  if (problems > 0) return `${problems === 1 ? 'One problem' : `${problems} problems`} to fix before saving.`;
  if (creating) return 'Not registered yet: the first save creates it.';
  if (dirty) return 'Unsaved changes.';
  if (save.status === 'saved') return `${save.outcome === 'created' ? 'Created' : 'Saved'} at ${formatClock(save.at)} (revision ${save.revision}).`;
  return `Saved (revision ${revision ?? '–'}).`;
}
