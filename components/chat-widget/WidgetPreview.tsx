import type { WidgetContent } from '../../lib/protocol/widget-document';

export interface WidgetPreviewProps {
  /** The draft to render; it may be one the schema would refuse (the editor shows its problems beside it). */
  content: WidgetContent;
}

/**
 * The open panel as a visitor sees it, from a content draft, with the widget's own
 * components and no services (no bridge, no tracking, no storage): the dashboard's editor
 * renders it live, without an iframe.
 */
export function WidgetPreview({ content }: WidgetPreviewProps) {
  return (
    <div className="fw-app" data-testid="widget-preview">
      <main className="fw-body">
        <p className="fw-bubble">{content.greeting}</p>
      </main>
    </div>
  );
}
