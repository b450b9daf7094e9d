import { useState } from 'react';
import { FIELD_PATHS } from './field-paths';
import type { WidgetForm } from './form-model';
import { updateForm } from './form-ops';
import { TextField } from './Fields';

type Change = (edit: (form: WidgetForm) => WidgetForm) => void;

/** Where rotating the webhook secret stands. */
export type RotationState = { status: 'idle' } | { status: 'rotating' } | { status: 'failed'; message: string };

/** Props of {@link WebhookFields}. */
export interface WebhookFieldsProps {
  form: WidgetForm;
  change: Change;
  /** The widget is not registered yet: there is no secret to rotate. */
  creating: boolean;
  /** A secret to show once (from a rotation or from the save that first set the URL); null: none. */
  secret: string | null;
  rotation: RotationState;
  onRotate: () => void;
  onDismissSecret: () => void;
}

/** The secret, shown this once: copy it now. */
function SecretNotice({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = (): void => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) {
      setCopied('failed');
      return;
    }
    clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="fwd-alert fwd-secret" role="status" data-testid="webhook-secret">
      <p>
        <strong>The webhook secret. Copy it now: it will not be shown again.</strong> Your bot checks each delivery's
        <code> X-Framewire-Signature</code> with it.
      </p>
      <div className="fwd-secret__value">
        <code data-testid="webhook-secret-value">
          {secret}
        </code>
        <button type="button" className="fwd-button fwd-button--small" data-testid="webhook-secret-copy" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && <p className="fwd-muted">The browser did not let the page copy: select the secret and copy it by hand.</p>}
      <button type="button" className="fwd-button fwd-button--small fwd-button--ghost" data-testid="webhook-secret-done" onClick={onDismiss}>
        I have copied it
      </button>
    </div>
  );
}

/** The "Bot webhook" section: where visitors' messages are delivered, and its signing secret. */
export function WebhookFields({ form, change, creating, secret, rotation, onRotate, onDismissSecret }: WebhookFieldsProps) {
  return (
    <section className="fwd-editor__section" aria-labelledby="fwd-editor-webhook" data-testid="webhook-section">
      <h3 id="fwd-editor-webhook" className="fwd-editor__heading">
        Bot webhook
      </h3>
      <TextField
        label="Webhook URL (optional)"
        hint="Each visitor message is POSTed here, signed with the secret; your bot may answer through the agent API. Empty: no webhook."
        path={FIELD_PATHS.webhookUrl}
        type="url"
        code
        value={form.webhookUrl}
        placeholder="https://bot.example/framewire"
        onChange={(webhookUrl) => change((f) => updateForm(f, { webhookUrl: webhookUrl.trim() }))}
      />
      {secret !== null && <SecretNotice secret={secret} onDismiss={onDismissSecret} />}
      <div className="fwd-field">
        <button type="button" className="fwd-button fwd-button--small fwd-webhook__rotate" data-testid="webhook-rotate" disabled={creating || rotation.status === 'rotating'} onClick={onRotate}>
          {rotation.status === 'rotating' ? 'Rotating…' : 'Rotate secret'}
        </button>
        <p className="fwd-field__hint">
          {creating ? 'Save the widget first.' : 'A new secret replaces the old one at once: deliveries signed with the old one stop checking out.'}
        </p>
        {rotation.status === 'failed' && (
          <p className="fwd-alert fwd-alert--error" role="alert" data-testid="webhook-rotate-error">
            Not rotated: {rotation.message}
          </p>
        )}
      </div>
    </section>
  );
}
