import type { Offer } from '../../lib/protocol/widget-document';
import type { SurveyStep } from '../../lib/chat-widget/survey';
import type { ShownVariant } from '../../lib/chat-widget/variant';
import { OfferCard } from './OfferCard';

export interface SurveyViewProps {
  /** The questions on screen (`surveySteps`). */
  steps: readonly SurveyStep[];
  /** The variant the visitor sees of an offer; `null`: not known yet (the offer waits). */
  variantOf(offer: Offer): ShownVariant | null;
  onAnswer(questionId: string, answerId: string): void;
  onOfferClick(step: SurveyStep & { offer: Offer }, variant: ShownVariant): void;
}

/** The survey: each question with its answers as buttons, and the offer of the answer picked. */
export function SurveyView({ steps, variantOf, onAnswer, onOfferClick }: SurveyViewProps) {
  return (
    <>
      {steps.map((step, index) => {
        const { question, picked, offer } = step;
        const variant = offer ? variantOf(offer) : null;
        return (
          <div key={`${index}:${question.id}`} className="fw-survey" data-question-id={question.id}>
            <p className="fw-bubble">{question.text}</p>
            <div className="fw-answers" role="group" aria-label={question.text}>
              {question.answers.map((answer, answerIndex) => (
                <button
                  key={`${answerIndex}:${answer.id}`}
                  type="button"
                  className="fw-answer"
                  data-testid="answer-button"
                  data-answer-id={answer.id}
                  aria-pressed={picked?.id === answer.id}
                  onClick={() => onAnswer(question.id, answer.id)}
                >
                  {answer.label}
                </button>
              ))}
            </div>
            {offer && variant && <OfferCard offer={offer} variant={variant} onClick={() => onOfferClick({ ...step, offer }, variant)} />}
          </div>
        );
      })}
    </>
  );
}
