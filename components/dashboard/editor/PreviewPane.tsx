import { Component } from 'react';
import type { ReactNode } from 'react';
import type { WidgetContent } from '../../../lib/protocol/widget-document';
import { WidgetPreview } from '../../chat-widget/WidgetPreview';

interface BoundaryProps {
  content: WidgetContent;
  children: ReactNode;
}

interface BoundaryState {
  failed: boolean;
}

/**
 * Keeps a draft the preview cannot render (half typed, refused by the schema) from blanking
 * the page: the preview says so instead, and tries again with the next change of the draft.
 */
export class PreviewBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: false };

  static getDerivedStateFromError(): BoundaryState {
    return { failed: true };
  }

  override componentDidUpdate(previous: BoundaryProps): void {
    if (this.state.failed && previous.content !== this.props.content) this.setState({ failed: false });
  }

  override render(): ReactNode {
    if (this.state.failed) {
      return (
        <p className="fwd-alert fwd-alert--error" role="status" data-testid="preview-failed">
          The preview cannot show this draft. Fix the problems listed in the form and it comes back.
        </p>
      );
    }
    return this.props.children;
  }
}

/** The open widget as visitors will see it, rendered from the draft as it is typed. */
export function PreviewPane({ content }: { content: WidgetContent }) {
  return (
    <section className="fwd-panel fwd-preview" aria-labelledby="fwd-preview-title" data-testid="editor-preview">
      <h3 id="fwd-preview-title" className="fwd-panel__title">
        Preview
      </h3>
      <div className="fwd-preview__frame">
        <PreviewBoundary content={content}>
          <WidgetPreview content={content} />
        </PreviewBoundary>
      </div>
      <p className="fwd-fineprint">Nothing here is recorded: the preview has no tracking and no storage.</p>
    </section>
  );
}
