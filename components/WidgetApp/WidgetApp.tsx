import { ChatWidget } from '../ChatWidget/ChatWidget';
import type { ChatWidgetProps } from '../ChatWidget/ChatWidget';

export type WidgetAppProps = ChatWidgetProps;

/** The widget's shell inside the iframe: the chat, with its connection status in the header. */
export function WidgetApp(props: WidgetAppProps) {
  return <ChatWidget {...props} />;
}
