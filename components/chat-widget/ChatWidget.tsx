import { useState } from 'react';
import type { FormEvent } from 'react';
import { ConnectionStatus } from '../connection-status/ConnectionStatus';
import { useChatState } from './hooks/useChatState';
import { TrackerContext } from './hooks/useWidget';
import type { UseChatStateProps } from './hooks/useChatState';
import type { Offer, SurveyQuestion } from '../../lib/chat-widget/chat-types';

export interface ChatWidgetProps extends UseChatStateProps {
  /** @default 'Chat' */
  title?: string;
  /** @default 'Hi there! How can we help you today?' */
  greeting?: string;
  /** A question shown after the greeting, answered with one of its offers. */
  survey?: SurveyQuestion;
  /** Called when the visitor clicks an offer, after the click is recorded (and before its `url`, if any, opens). */
  onOfferClick?: (offer: Offer) => void;
}

/** The chat inside the iframe: header with status and minimise, conversation, survey offers, input. */
export function ChatWidget({ title = 'Chat', greeting = 'Hi there! How can we help you today?', survey, onOfferClick, ...options }: ChatWidgetProps) {
  const chat = useChatState(options);
  const [draft, setDraft] = useState('');
  const ready = chat.status === 'ready';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!ready || !draft.trim()) return;
    chat.sendMessage(draft);
    setDraft('');
  };

  const clickOffer = (offer: Offer): void => {
    chat.tracker?.click({ offerId: offer.id, questionId: offer.questionId, buttonVariantId: offer.buttonVariantId });
    onOfferClick?.(offer);
    if (offer.url) window.open(offer.url, '_blank', 'noopener,noreferrer');
  };

  return (
    <TrackerContext.Provider value={chat.tracker}>
    <div className={`fw-app${chat.isOpen ? '' : ' fw-app--minimised'}`} data-open={String(chat.isOpen)}>
      <header className="fw-header">
        <h1 className="fw-title">{title}</h1>
        <ConnectionStatus state={chat.connectionState} standalone={chat.standalone} />
        <button
          type="button"
          className="fw-minimise"
          data-testid="chat-minimise"
          aria-expanded={chat.isOpen}
          aria-label={chat.isOpen ? 'Minimise the chat' : 'Open the chat'}
          onClick={() => chat.setOpen(!chat.isOpen)}
        >
          {chat.isOpen ? '–' : '+'}
        </button>
      </header>
      {chat.isOpen && (
        <main className="fw-body" data-testid="chat-messages">
          <p className="fw-bubble">{greeting}</p>
          {survey && (
            <div className="fw-survey" data-question-id={survey.id}>
              <p className="fw-bubble">{survey.text}</p>
              <div className="fw-offers">
                {survey.offers.map((offer) => (
                  <button
                    key={offer.id}
                    type="button"
                    className="fw-offer"
                    data-testid="offer-button"
                    data-offer-id={offer.id}
                    onClick={() => clickOffer(offer)}
                  >
                    {offer.label}
                  </button>
                ))}
              </div>
            </div>
          )}
          {chat.messages.map((message) => (
            <p key={message.id} className={`fw-bubble fw-bubble--${message.role}`} data-role={message.role}>
              {message.text}
            </p>
          ))}
        </main>
      )}
      {chat.isOpen && (
        <form className="fw-composer" onSubmit={submit}>
          <input
            className="fw-input"
            data-testid="chat-input"
            aria-label="Your message"
            placeholder={ready ? 'Type a message…' : 'Loading…'}
            value={draft}
            maxLength={2000}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button className="fw-send" type="submit" data-testid="chat-send" disabled={!ready}>
            Send
          </button>
        </form>
      )}
      <footer className="fw-footer" data-testid="session-id" data-session-id={chat.sessionId ?? ''}>
        {chat.sessionId && <span>Session {chat.sessionId.slice(-8)}</span>}
        {chat.status === 'error' && <span role="alert">Could not load your conversation.</span>}
      </footer>
    </div>
    </TrackerContext.Provider>
  );
}
