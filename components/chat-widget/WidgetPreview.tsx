import type { WidgetContent } from '../../lib/protocol/widget-document';
import { firstVariant } from '../../lib/chat-widget/variant';
import { accentStyle } from './accent';
import { Composer } from './Composer';
import { SurveyView } from './SurveyView';
import { useSurvey } from './hooks/useSurvey';

export interface WidgetPreviewProps {
  /** The draft to render; it may be one the schema would refuse (the editor shows its problems beside it). */
  content: WidgetContent;
}

const ignore = (): void => undefined;

/**
 * The open panel as a visitor sees it, from a content draft, with the widget's own
 * components and no services (no bridge, no tracking, no storage): the dashboard's editor
 * renders it live, without an iframe. Answers can be picked (locally); each offer shows its
 * first variant; offer buttons and the composer do nothing.
 */
export function WidgetPreview({ content }: WidgetPreviewProps) {
  const survey = useSurvey(content);
  return (
    <div className="fw-app fw-app--preview" data-testid="widget-preview" data-open="true" style={accentStyle(content.theme.accentColor)}>
      <header className="fw-header">
        <h1 className="fw-title">{content.theme.launcherLabel}</h1>
      </header>
      <main className="fw-body">
        <p className="fw-bubble">{content.greeting}</p>
        <SurveyView steps={survey.steps} variantOf={firstVariant} onAnswer={survey.pick} onOfferClick={ignore} />
      </main>
      {content.chat.enabled && <Composer value="" onChange={ignore} onSubmit={ignore} ready={false} inert />}
    </div>
  );
}
