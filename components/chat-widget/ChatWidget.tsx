import { useCallback, useMemo, useState } from 'react';
import { ConnectionStatus } from '../connection-status/ConnectionStatus';
import { useChatState } from './hooks/useChatState';
import { TrackerContext } from './hooks/useWidget';
import { useOfferShown } from './hooks/useOfferShown';
import type { VisibleOffer } from './hooks/useOfferShown';
import { useSurvey } from './hooks/useSurvey';
import { useUnread } from './hooks/useUnread';
import { useWidgetConfig } from './hooks/useWidgetConfig';
import type { UseChatStateProps } from './hooks/useChatState';
import { accentStyle } from './accent';
import { Composer } from './Composer';
import { MessageBubble } from './MessageBubble';
import { SurveyView } from './SurveyView';
import type { SurveyViewProps } from './SurveyView';
import { WIDGET_EVENTS } from '../../lib/chat-widget/tracker';
import { variantFor } from '../../lib/chat-widget/variant';
import type { Offer as ClickedOffer } from '../../lib/chat-widget/chat-types';
import type { WidgetConfigLoaderConfig } from '../../lib/chat-widget/widget-config';
import type { Offer, WidgetContent } from '../../lib/protocol/widget-document';

export interface ChatWidgetProps extends UseChatStateProps {
  /**
   * The collector the widget's config comes from (`GET <collectorUrl>/api/widgets/:widgetId/config`);
   * `null`: nothing is fetched, the cached config or the built-in content shows. @default null
   */
  collectorUrl?: string | null;
  /** Fixed content instead of the widget's config (nothing is loaded or cached). */
  content?: WidgetContent;
  /** Settings and collaborators of the config loader (tests pass `fetch` and `now`). */
  configLoader?: WidgetConfigLoaderConfig & { fetch?: typeof fetch; now?: () => number };
  /** Called when the visitor clicks an offer, after the click is recorded (and before its `url`, if any, opens). */
  onOfferClick?: (offer: ClickedOffer) => void;
}

/**
 * The chat inside the iframe: header with the configured title, status and minimise; the
 * greeting, the survey and its offers; the conversation; the input (unless the config turns
 * the chat off).
 */
export function ChatWidget({ collectorUrl = null, content: fixedContent, configLoader, onOfferClick, ...options }: ChatWidgetProps) {
  const chat = useChatState({ ...options, collectorUrl });
  const { tracker, sessionId } = chat;
  const loaded = useWidgetConfig({
    widgetId: options.widgetId ?? 'demo',
    collectorUrl,
    // Fixed content: no loader (no storage to read it from).
    storage: fixedContent ? null : chat.storage,
    tracker,
    bridge: options.bridge,
    ...(configLoader && { loader: configLoader }),
  });
  const content = fixedContent ?? loaded.content;
  const settled = fixedContent !== undefined || loaded.settled;
  const survey = useSurvey(content);
  const [draft, setDraft] = useState('');
  const ready = chat.status === 'ready';
  useUnread(options.bridge, chat.isOpen, ready, chat.messages);

  // The visitor id decides the variant: an offer waits until it is known.
  const variantOf = useCallback((offer: Offer) => (sessionId ? variantFor(sessionId, offer) : null), [sessionId]);

  const visibleOffers = useMemo(
    () =>
      survey.steps.flatMap((step): VisibleOffer[] => {
        const variant = step.offer && variantOf(step.offer);
        return step.offer && variant ? [{ offerId: step.offer.offerId, questionId: step.question.id, buttonVariantId: variant.buttonVariantId }] : [];
      }),
    [survey.steps, variantOf],
  );
  useOfferShown(tracker, chat.isOpen && settled, visibleOffers);

  const answer: SurveyViewProps['onAnswer'] = (questionId, answerId) => {
    survey.pick(questionId, answerId);
    tracker?.event(WIDGET_EVENTS.surveyAnswered, { questionId, answerId });
  };

  const clickOffer: SurveyViewProps['onOfferClick'] = ({ question, offer }, variant) => {
    tracker?.click({ offerId: offer.offerId, questionId: question.id, buttonVariantId: variant.buttonVariantId });
    onOfferClick?.({
      id: offer.offerId,
      label: variant.label,
      questionId: question.id,
      buttonVariantId: variant.buttonVariantId,
      ...(offer.url !== undefined && { url: offer.url }),
    });
    if (offer.url) window.open(offer.url, '_blank', 'noopener,noreferrer');
  };

  const toggle = (): void => {
    const open = !chat.isOpen;
    chat.setOpen(open);
    if (open) loaded.revalidateIfStale();
  };

  const send = (): void => {
    if (!ready || !draft.trim()) return;
    chat.sendMessage(draft);
    setDraft('');
  };

  return (
    <TrackerContext.Provider value={tracker}>
      <div
        className={`fw-app${chat.isOpen ? '' : ' fw-app--minimised'}`}
        data-open={String(chat.isOpen)}
        data-config-source={settled ? (fixedContent ? 'fixed' : loaded.source) : 'loading'}
        style={accentStyle(content.theme.accentColor)}
      >
        <header className="fw-header">
          <h1 className="fw-title">{settled ? content.theme.launcherLabel : ''}</h1>
          <ConnectionStatus state={chat.connectionState} standalone={chat.standalone} />
          <button
            type="button"
            className="fw-minimise"
            data-testid="chat-minimise"
            aria-expanded={chat.isOpen}
            aria-label={chat.isOpen ? 'Minimise the chat' : 'Open the chat'}
            onClick={toggle}
          >
            {chat.isOpen ? '–' : '+'}
          </button>
        </header>
        {chat.isOpen && (
          <main className="fw-body" data-testid="chat-messages" aria-busy={!settled}>
            {settled ? (
              <>
                <p className="fw-bubble">{content.greeting}</p>
                <SurveyView steps={survey.steps} variantOf={variantOf} onAnswer={answer} onOfferClick={clickOffer} />
              </>
            ) : (
              <p className="fw-bubble fw-bubble--loading" data-testid="content-loading" aria-label="Loading">
                …
              </p>
            )}
            {chat.messages.map((message) => (
              <MessageBubble key={message.id} message={message} onRetry={chat.retryMessage} />
            ))}
            {chat.outboxFull && (
              <p className="fw-notice" role="alert" data-testid="outbox-full">
                Too many unsent messages. Yours will go once the connection is back; try again then.
              </p>
            )}
          </main>
        )}
        {chat.isOpen && content.chat.enabled && <Composer value={draft} onChange={setDraft} onSubmit={send} ready={ready} />}
        <footer className="fw-footer" data-testid="session-id" data-session-id={sessionId ?? ''}>
          {sessionId && <span>Session {sessionId.slice(-8)}</span>}
          {chat.status === 'error' && <span role="alert">Could not load your conversation.</span>}
        </footer>
      </div>
    </TrackerContext.Provider>
  );
}
