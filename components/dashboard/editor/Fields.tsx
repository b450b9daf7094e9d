import type { ReactNode } from 'react';
import { useField } from './problems-context';

/** The problems of one field, right below it; the field points at them with `aria-describedby`. */
export function FieldProblems({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="fwd-problems" id={id} data-testid="field-problems">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** Props of {@link TextField}. */
export interface TextFieldProps {
  label: string;
  /** Where the field is in the document: its problems are the ones at this path. */
  path: string;
  value: string;
  onChange: (value: string) => void;
  /** A line under the label. */
  hint?: ReactNode;
  /** Several lines (a `textarea`). @default false */
  multiline?: boolean;
  /** @default "text" */
  type?: 'text' | 'url';
  maxLength?: number;
  /** Monospace, for ids and URLs. @default false */
  code?: boolean;
  placeholder?: string;
}

/** A labelled text input with its hint and its problems. */
export function TextField({ label, path, value, onChange, hint, multiline = false, type = 'text', maxLength, code = false, placeholder }: TextFieldProps) {
  const { id, problemsId, messages } = useField(path);
  const hintId = `${id}-hint`;
  const describedBy = [hint === undefined ? null : hintId, messages.length > 0 ? problemsId : null].filter((part) => part !== null).join(' ');
  const common = {
    id,
    className: code ? 'fwd-input fwd-input--code' : 'fwd-input',
    value,
    'aria-invalid': messages.length > 0,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
    'data-path': path,
    spellCheck: !code,
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(placeholder === undefined ? {} : { placeholder }),
  };
  return (
    <div className="fwd-field">
      <label className="fwd-field__label" htmlFor={id}>
        {label}
      </label>
      {hint !== undefined && (
        <p className="fwd-field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete="off" onChange={(event) => onChange(event.target.value)} />
      )}
      <FieldProblems id={problemsId} messages={messages} />
    </div>
  );
}

/** The problems of a list (too many entries, none where one is needed). */
export function ListProblems({ path }: { path: string }) {
  const { problemsId, messages } = useField(path);
  return <FieldProblems id={problemsId} messages={messages} />;
}
