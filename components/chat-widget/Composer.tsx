import type { FormEvent } from 'react';

export interface ComposerProps {
  value: string;
  onChange(value: string): void;
  onSubmit(): void;
  /** False while the conversation loads: the input waits. */
  ready: boolean;
  /** The preview's composer: shown as the visitor sees it, but inert. @default false */
  inert?: boolean;
}

/** The message input and its send button. */
export function Composer({ value, onChange, onSubmit, ready, inert = false }: ComposerProps) {
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="fw-composer" onSubmit={submit}>
      <input
        className="fw-input"
        data-testid="chat-input"
        aria-label="Your message"
        placeholder={ready || inert ? 'Type a message…' : 'Loading…'}
        disabled={inert}
        value={value}
        maxLength={2000}
        onChange={(event) => onChange(event.target.value)}
      />
      <button className="fw-send" type="submit" data-testid="chat-send" disabled={!ready}>
        Send
      </button>
    </form>
  );
}
