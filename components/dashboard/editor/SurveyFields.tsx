import { WIDGET_DOCUMENT_LIMITS } from '../../../lib/protocol/widget-document';
import { answerPath, FIELD_PATHS, questionPath } from './field-paths';
import type { QuestionForm, WidgetForm } from './form-model';
import { addAnswer, addQuestion, canAddAnswer, canAddQuestion, moveQuestion, removeAnswer, removeQuestion, setOffer, updateAnswer, updateQuestion } from './form-ops';
import { ListProblems, TextField } from './Fields';
import { OfferFields } from './OfferFields';

type Change = (edit: (form: WidgetForm) => WidgetForm) => void;

function QuestionFields({ question, index, count, change }: { question: QuestionForm; index: number; count: number; change: Change }) {
  const base = questionPath(index);
  const number = index + 1;
  return (
    <fieldset className="fwd-question" data-testid="question-fields">
      <legend className="fwd-question__legend">Question {number}</legend>
      <div className="fwd-question__tools">
        <button type="button" className="fwd-button fwd-button--small" disabled={index === 0} onClick={() => change((f) => moveQuestion(f, index, -1))}>
          Up<span className="fwd-visually-hidden"> (move question {number} up)</span>
        </button>
        <button type="button" className="fwd-button fwd-button--small" disabled={index === count - 1} onClick={() => change((f) => moveQuestion(f, index, 1))}>
          Down<span className="fwd-visually-hidden"> (move question {number} down)</span>
        </button>
        <button type="button" className="fwd-button fwd-button--ghost fwd-button--small" onClick={() => change((f) => removeQuestion(f, index))}>
          Remove<span className="fwd-visually-hidden"> question {number}</span>
        </button>
      </div>
      <div className="fwd-editor__row">
        <TextField label="Question id" path={`${base}.id`} code value={question.id} onChange={(id) => change((f) => updateQuestion(f, index, { id }))} />
        <TextField label="Question" path={`${base}.text`} value={question.text} onChange={(text) => change((f) => updateQuestion(f, index, { text }))} />
      </div>
      <p className="fwd-field__label">Answers</p>
      <ListProblems path={`${base}.answers`} />
      <ol className="fwd-answers">
        {question.answers.map((answer, a) => (
          <li key={answer.key} className="fwd-answer" data-testid="answer-fields">
            <div className="fwd-editor__row fwd-editor__row--entry">
              <TextField label={`Answer ${a + 1} id`} path={`${answerPath(index, a)}.id`} code value={answer.id} onChange={(id) => change((f) => updateAnswer(f, index, a, { id }))} />
              <TextField label={`Answer ${a + 1}`} path={`${answerPath(index, a)}.label`} value={answer.label} onChange={(label) => change((f) => updateAnswer(f, index, a, { label }))} />
              <button type="button" className="fwd-button fwd-button--ghost fwd-button--small" onClick={() => change((f) => removeAnswer(f, index, a))}>
                Remove<span className="fwd-visually-hidden"> answer {a + 1}</span>
              </button>
            </div>
            <label className="fwd-check">
              <input type="checkbox" checked={answer.offer !== null} onChange={(event) => change((f) => setOffer(f, index, a, event.target.checked))} />
              <span>This answer shows an offer</span>
            </label>
            {answer.offer !== null && <OfferFields offer={answer.offer} question={index} answer={a} change={change} />}
          </li>
        ))}
      </ol>
      <button type="button" className="fwd-button fwd-button--small" disabled={!canAddAnswer(question)} onClick={() => change((f) => addAnswer(f, index))}>
        Add answer
      </button>
    </fieldset>
  );
}

/** The survey: its questions in order, each with its answers and their offers. */
export function SurveyFields({ form, change }: { form: WidgetForm; change: Change }) {
  return (
    <section className="fwd-editor__section" aria-labelledby="fwd-editor-survey">
      <h3 id="fwd-editor-survey" className="fwd-editor__heading">
        Survey
      </h3>
      <p className="fwd-field__hint">
        Asked in this order, each question with its answers as buttons (at most {WIDGET_DOCUMENT_LIMITS.questions} questions, {WIDGET_DOCUMENT_LIMITS.answers}{' '}
        answers each). An answer with an offer shows it once picked.
      </p>
      <ListProblems path={FIELD_PATHS.questions} />
      {form.questions.length === 0 && <p className="fwd-muted">No questions: the widget shows the greeting only.</p>}
      {form.questions.map((question, index) => (
        <QuestionFields key={question.key} question={question} index={index} count={form.questions.length} change={change} />
      ))}
      <button type="button" className="fwd-button" disabled={!canAddQuestion(form)} onClick={() => change(addQuestion)}>
        Add question
      </button>
    </section>
  );
}
