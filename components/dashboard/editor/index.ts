export { WidgetEditor } from './WidgetEditor';
export { PreviewBoundary, PreviewPane } from './PreviewPane';
export { checkForm, contentOf, formOf, inputOf, newWidgetForm, originLines, sameDocument } from './form-model';
export { FIELD_PATHS, fieldPathsOf, placeProblems } from './field-paths';
export { saveFailure } from './save-outcome';
export type { WidgetEditorProps } from './WidgetEditor';
export type { AnswerForm, FormCheck, OfferForm, QuestionForm, VariantForm, WidgetForm } from './form-model';
export type { PlacedProblems } from './field-paths';
export type { SaveState } from './save-outcome';
