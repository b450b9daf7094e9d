import type { DocumentProblem } from '../../../lib/protocol/widget-document';
import { originLines } from './form-model';
import type { WidgetForm } from './form-model';

/*
 * Where each field of the form is in the document, as `documentProblems` names it
 * (`content.survey.questions.0.answers.1.offer.url`): the form shows a problem next to the
 * field at its path, and the ones no field holds at the top.
 */

/** The path of a top-level field. */
export const FIELD_PATHS = Object.freeze({
  name: 'name',
  allowedOrigins: 'allowedOrigins',
  greeting: 'content.greeting',
  questions: 'content.survey.questions',
  accentColor: 'content.theme.accentColor',
  position: 'content.theme.position',
  launcherLabel: 'content.theme.launcherLabel',
  chatEnabled: 'content.chat.enabled',
  webhookUrl: 'webhookUrl',
});

/** `content.survey.questions.<q>`. */
export const questionPath = (question: number): string => `${FIELD_PATHS.questions}.${question}`;
/** `content.survey.questions.<q>.answers.<a>`. */
export const answerPath = (question: number, answer: number): string => `${questionPath(question)}.answers.${answer}`;
/** `…answers.<a>.offer`. */
export const offerPath = (question: number, answer: number): string => `${answerPath(question, answer)}.offer`;
/** `…offer.variants.<v>`. */
export const variantPath = (question: number, answer: number, variant: number): string => `${offerPath(question, answer)}.variants.${variant}`;

/** Every path at which the form has a field (or a list) to show a problem next to. */
export function fieldPathsOf(form: WidgetForm): Set<string> {
  const paths = new Set<string>(Object.values(FIELD_PATHS));
  form.questions.forEach((question, q) => {
    for (const field of ['id', 'text', 'answers']) paths.add(`${questionPath(q)}.${field}`);
    question.answers.forEach((answer, a) => {
      for (const field of ['id', 'label']) paths.add(`${answerPath(q, a)}.${field}`);
      if (answer.offer === null) return;
      for (const field of ['offerId', 'label', 'url', 'variants']) paths.add(`${offerPath(q, a)}.${field}`);
      answer.offer.variants.forEach((_variant, v) => {
        for (const field of ['buttonVariantId', 'label']) paths.add(`${variantPath(q, a, v)}.${field}`);
      });
    });
  });
  return paths;
}

/** The problems of a form, by the field that shows them. */
export interface PlacedProblems {
  /** Messages by field path. */
  byField: ReadonlyMap<string, readonly string[]>;
  /** Problems no field holds (the whole content too long, a path the form does not have): shown at the top. */
  general: readonly DocumentProblem[];
}

const ORIGIN_ENTRY = /^allowedOrigins\.(\d+)$/;

/**
 * Places each problem next to its field: at the field of its exact path; an allowed origin's
 * problem (`allowedOrigins.2`) at the allowed-sites text, naming the origin; any other in
 * `general`. Works for the schema's problems and for the collector's 400 alike.
 */
export function placeProblems(problems: readonly DocumentProblem[], form: WidgetForm): PlacedProblems {
  const fields = fieldPathsOf(form);
  const origins = originLines(form.allowedOrigins);
  const byField = new Map<string, string[]>();
  const general: DocumentProblem[] = [];
  const add = (path: string, message: string): void => {
    const messages = byField.get(path) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byField.set(path, messages);
  };
  for (const problem of problems) {
    const originIndex = ORIGIN_ENTRY.exec(problem.path)?.[1];
    if (originIndex !== undefined) {
      const origin = origins[Number(originIndex)];
      add(FIELD_PATHS.allowedOrigins, origin === undefined ? problem.message : `${origin}: ${problem.message}`);
    } else if (fields.has(problem.path)) {
      add(problem.path, problem.message);
    } else {
      general.push(problem);
    }
  }
  return { byField, general };
}
