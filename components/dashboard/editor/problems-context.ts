import { createContext, useContext } from 'react';
import type { PlacedProblems } from './field-paths';

/** The form's problems and the prefix of its element ids, for every field below the editor. */
export interface EditorFieldsContext {
  problems: PlacedProblems;
  idPrefix: string;
}

const NONE: EditorFieldsContext = { problems: { byField: new Map(), general: [] }, idPrefix: 'fwd-editor' };

export const FieldsContext = createContext<EditorFieldsContext>(NONE);

/** The element id and the problems of the field at `path`. */
export function useField(path: string): { id: string; problemsId: string; messages: readonly string[] } {
  const { problems, idPrefix } = useContext(FieldsContext);
  const id = `${idPrefix}-${path.replaceAll('.', '-')}`;
  return { id, problemsId: `${id}-problems`, messages: problems.byField.get(path) ?? [] };
}
