import { COLOR_PATTERN, WIDGET_POSITIONS } from '../../../lib/protocol/widget-document';
import type { WidgetTheme } from '../../../lib/protocol/widget-document';
import { FIELD_PATHS } from './field-paths';
import type { WidgetForm } from './form-model';
import { updateForm } from './form-ops';
import { FieldProblems, TextField } from './Fields';
import { useField } from './problems-context';
import { SurveyFields } from './SurveyFields';

type Change = (edit: (form: WidgetForm) => WidgetForm) => void;

const POSITION_LABELS: Readonly<Record<WidgetTheme['position'], string>> = { 'bottom-right': 'Bottom right', 'bottom-left': 'Bottom left' };

/** The colour picker and its text, one value: the picker shows the text's colour once it is one. */
function AccentField({ value, change }: { value: string; change: Change }) {
  const { id, problemsId, messages } = useField(FIELD_PATHS.accentColor);
  const set = (accentColor: string): void => change((f) => updateForm(f, { accentColor }));
  return (
    <div className="fwd-field">
      <label className="fwd-field__label" htmlFor={id}>
        Accent colour
      </label>
      <div className="fwd-color">
        <input
          type="color"
          className="fwd-color__swatch"
          aria-label="Pick the accent colour"
          value={COLOR_PATTERN.test(value) ? value.toLowerCase() : '#000000'}
          onChange={(event) => set(event.target.value)}
        />
        <input
          id={id}
          className="fwd-input fwd-input--code"
          value={value}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={messages.length > 0}
          aria-describedby={messages.length > 0 ? problemsId : undefined}
          data-path={FIELD_PATHS.accentColor}
          onChange={(event) => set(event.target.value.trim())}
        />
      </div>
      <FieldProblems id={problemsId} messages={messages} />
    </div>
  );
}

function PositionField({ value, change }: { value: WidgetTheme['position']; change: Change }) {
  const { id, problemsId, messages } = useField(FIELD_PATHS.position);
  return (
    <div className="fwd-field">
      <label className="fwd-field__label" htmlFor={id}>
        Position
      </label>
      <select
        id={id}
        className="fwd-input"
        value={value}
        data-path={FIELD_PATHS.position}
        onChange={(event) => {
          const position = WIDGET_POSITIONS.find((candidate) => candidate === event.target.value);
          if (position !== undefined) change((f) => updateForm(f, { position }));
        }}
      >
        {WIDGET_POSITIONS.map((position) => (
          <option key={position} value={position}>
            {POSITION_LABELS[position]}
          </option>
        ))}
      </select>
      <FieldProblems id={problemsId} messages={messages} />
    </div>
  );
}

function ChatField({ value, change }: { value: boolean; change: Change }) {
  const { problemsId, messages } = useField(FIELD_PATHS.chatEnabled);
  return (
    <div className="fwd-field">
      <label className="fwd-check">
        <input type="checkbox" checked={value} data-path={FIELD_PATHS.chatEnabled} onChange={(event) => change((f) => updateForm(f, { chatEnabled: event.target.checked }))} />
        <span>Chat: visitors can write to the team</span>
      </label>
      <FieldProblems id={problemsId} messages={messages} />
    </div>
  );
}

/** Every field of the document, in the order a visitor meets them. */
export function EditorFields({ form, change }: { form: WidgetForm; change: Change }) {
  return (
    <>
      <section className="fwd-editor__section" aria-labelledby="fwd-editor-general">
        <h3 id="fwd-editor-general" className="fwd-editor__heading">
          Widget
        </h3>
        <TextField label="Name" hint="Shown in this dashboard only." path={FIELD_PATHS.name} value={form.name} onChange={(name) => change((f) => updateForm(f, { name }))} />
        <TextField
          label="Allowed sites"
          hint="One origin per line, like https://shop.example (scheme, host and port; no path). Empty: the widget runs on any site, for development only."
          path={FIELD_PATHS.allowedOrigins}
          multiline
          code
          value={form.allowedOrigins}
          placeholder="https://shop.example"
          onChange={(allowedOrigins) => change((f) => updateForm(f, { allowedOrigins }))}
        />
        <TextField
          label="Greeting"
          hint="The first bubble of the open widget."
          path={FIELD_PATHS.greeting}
          multiline
          value={form.greeting}
          onChange={(greeting) => change((f) => updateForm(f, { greeting }))}
        />
      </section>
      <SurveyFields form={form} change={change} />
      <section className="fwd-editor__section" aria-labelledby="fwd-editor-theme">
        <h3 id="fwd-editor-theme" className="fwd-editor__heading">
          Look and chat
        </h3>
        <div className="fwd-editor__row">
          <AccentField value={form.accentColor} change={change} />
          <PositionField value={form.position} change={change} />
        </div>
        <TextField
          label="Launcher label"
          hint="The launcher button's accessible name and the panel's title."
          path={FIELD_PATHS.launcherLabel}
          value={form.launcherLabel}
          onChange={(launcherLabel) => change((f) => updateForm(f, { launcherLabel }))}
        />
        <ChatField value={form.chatEnabled} change={change} />
      </section>
    </>
  );
}
