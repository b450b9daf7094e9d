import { useCallback, useMemo, useState } from 'react';
import type { WidgetContent } from '../../../lib/protocol/widget-document';
import { surveySteps, withAnswer } from '../../../lib/chat-widget/survey';
import type { SurveyAnswers, SurveyStep } from '../../../lib/chat-widget/survey';

export interface SurveyState {
  /** The questions on screen, with what was picked. */
  steps: SurveyStep[];
  /** Picks an answer (a new pick of a question replaces the earlier one). */
  pick(questionId: string, answerId: string): void;
}

const NO_ANSWERS: SurveyAnswers = new Map();

/** The visitor's answers for this page view, kept in memory: no services, the preview uses it too. */
export function useSurvey(content: WidgetContent): SurveyState {
  const [answers, setAnswers] = useState<SurveyAnswers>(NO_ANSWERS);
  const steps = useMemo(() => surveySteps(content, answers), [content, answers]);
  const pick = useCallback((questionId: string, answerId: string) => setAnswers((current) => withAnswer(current, questionId, answerId)), []);
  return { steps, pick };
}
