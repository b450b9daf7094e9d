export { Inbox, InboxView } from './InboxView';
export { createInboxStore, DEFAULT_INBOX_OPTIONS } from './inbox-store';
export { DEFAULT_INBOX_STREAM_OPTIONS, openInboxStream } from './inbox-stream';
export { applyMessage, applyStatus, byLatestActivity, initialInboxState, mergeListPage } from './inbox-model';
export type { InboxViewProps } from './InboxView';
export type { InboxStore, InboxStoreOptions } from './inbox-store';
export type { InboxStream, InboxStreamOptions, StatusChange, StreamState } from './inbox-stream';
export type { InboxFilter, InboxState, LiveMode, PendingReply, ThreadState } from './inbox-model';
