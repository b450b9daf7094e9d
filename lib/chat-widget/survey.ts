import type { Offer, SurveyAnswer, SurveyQuestion, WidgetContent } from '../protocol/widget-document';

/** The visitor's answers in this page view: question id → answer id. */
export type SurveyAnswers = ReadonlyMap<string, string>;

/** One question on screen, with the answer picked (if any) and the offer it leads to. */
export interface SurveyStep {
  question: SurveyQuestion;
  picked: SurveyAnswer | null;
  offer: Offer | null;
}

/**
 * The questions on screen: one after another, each shown once the one before it is
 * answered. Answers to questions the content no longer has (a new config) are ignored.
 */
export function surveySteps(content: WidgetContent, answers: SurveyAnswers): SurveyStep[] {
  const steps: SurveyStep[] = [];
  for (const question of content.survey.questions) {
    const pickedId = answers.get(question.id);
    const picked = question.answers.find((answer) => answer.id === pickedId) ?? null;
    steps.push({ question, picked, offer: picked?.offer ?? null });
    if (!picked) break;
  }
  return steps;
}

/** The answers with `answerId` picked for `questionId` (a new pick replaces the earlier one). */
export function withAnswer(answers: SurveyAnswers, questionId: string, answerId: string): SurveyAnswers {
  const next = new Map(answers);
  next.set(questionId, answerId);
  return next;
}
