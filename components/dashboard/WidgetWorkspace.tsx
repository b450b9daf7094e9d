import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WidgetContent, WidgetDocument } from '../../lib/protocol/widget-document';
import { createWidgetsClient, isKeyRefused } from './api/index';
import type { WidgetChoice } from './api/index';
import { Dashboard } from './Dashboard';
import { WidgetEditor } from './editor/index';
import { InboxView } from './inbox/index';
import { offerLabelsOf } from './offer-labels';
import { TopBar } from './TopBar';

/** The views of a widget. */
export type WorkspaceView = 'analytics' | 'inbox' | 'editor';

const VIEW_LABELS: Readonly<Record<WorkspaceView, string>> = { analytics: 'Analytics', inbox: 'Inbox', editor: 'Editor' };

/** Props of {@link WidgetWorkspace}. */
export interface WidgetWorkspaceProps {
  apiKey: string;
  widget: WidgetChoice;
  /** @default location.origin */
  baseUrl?: string;
  /** Back to the widget list. */
  onSwitchWidget: () => void;
  /** `reason` null: the user asked; else the error that refused the key. */
  onSignOut: (reason: unknown) => void;
  /** A read was refused for this widget (404): back to the list, saying why. */
  onWidgetRefused: (error: unknown) => void;
  /** The editor's first save registered a new widget. */
  onCreated: () => void;
}

const LEAVE_DRAFT = 'The widget has unsaved changes. Leave them?';

/**
 * One widget: its analytics, its inbox and its editor, as three tabs. The inbox runs (its
 * live stream open) only while shown. The editor stays mounted once opened
 * (hidden behind the analytics tab), so going to the numbers and back keeps the draft; leaving
 * the widget with unsaved changes asks first.
 */
export function WidgetWorkspace({ apiKey, widget, baseUrl, onSwitchWidget, onSignOut, onWidgetRefused, onCreated }: WidgetWorkspaceProps) {
  const [view, setView] = useState<WorkspaceView>(widget.isNew ? 'editor' : 'analytics');
  const [editorOpened, setEditorOpened] = useState(widget.isNew);
  const [dirty, setDirty] = useState(false);
  const widgets = useMemo(() => createWidgetsClient({ apiKey, ...(baseUrl === undefined ? {} : { baseUrl }) }), [apiKey, baseUrl]);
  const credentials = useMemo(() => ({ apiKey, widgetId: widget.widgetId }), [apiKey, widget.widgetId]);
  const [content, setContent] = useState<WidgetContent | null>(null);
  const offerLabels = useMemo(() => (content === null ? undefined : offerLabelsOf(content)), [content]);
  const onDocument = useCallback((document: WidgetDocument) => setContent(document.content), []);

  // The labels of the offers panel: the widget as saved. Without them the panel shows ids only,
  // so a failure here is not worth a message (the analytics and the editor report their own).
  useEffect(() => {
    if (widget.isNew) return;
    const controller = new AbortController();
    widgets.get(widget.widgetId, controller.signal).then(
      (document) => {
        if (!controller.signal.aborted) setContent((current) => current ?? document.content);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [widgets, widget.widgetId, widget.isNew]);

  const show = (next: WorkspaceView): void => {
    setView(next);
    if (next === 'editor') setEditorOpened(true);
  };
  const leave = (go: () => void): void => {
    if (!dirty || window.confirm(LEAVE_DRAFT)) go();
  };
  const onKeyRefused = useCallback((error: unknown) => onSignOut(error), [onSignOut]);
  const onAccessError = useCallback(
    (error: unknown) => {
      if (isKeyRefused(error)) onSignOut(error);
      // A new widget has no analytics to refuse yet: its editor is what matters.
      else if (!widget.isNew) onWidgetRefused(error);
    },
    [widget.isNew, onSignOut, onWidgetRefused],
  );

  return (
    <div className="fwd-page">
      <TopBar widgetId={widget.widgetId} onSwitchWidget={() => leave(onSwitchWidget)} onSignOut={() => leave(() => onSignOut(null))}>
        <nav className="fwd-tabs" aria-label="Views">
          {(['analytics', 'inbox', 'editor'] as const).map((name) => (
            <button
              key={name}
              type="button"
              className="fwd-tabs__tab"
              aria-current={view === name ? 'page' : undefined}
              data-testid={`view-${name}`}
              onClick={() => show(name)}
            >
              {VIEW_LABELS[name]}
            </button>
          ))}
        </nav>
      </TopBar>
      <main className="fwd-main">
        {view === 'analytics' && (
          <Dashboard
            credentials={credentials}
            {...(baseUrl === undefined ? {} : { baseUrl })}
            onAccessError={onAccessError}
            {...(offerLabels === undefined ? {} : { offerLabels })}
          />
        )}
        {view === 'inbox' && <InboxView apiKey={apiKey} widgetId={widget.widgetId} {...(baseUrl === undefined ? {} : { baseUrl })} onKeyRefused={onKeyRefused} />}
        {editorOpened && (
          <div hidden={view !== 'editor'}>
            <WidgetEditor client={widgets} widget={widget} onCreated={onCreated} onKeyRefused={onKeyRefused} onDirtyChange={setDirty} onDocument={onDocument} />
          </div>
        )}
      </main>
    </div>
  );
}
