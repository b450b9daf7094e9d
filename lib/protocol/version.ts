/**
 * Version of the host–widget bridge protocol. A host and a widget agree on it during the
 * handshake; a widget that speaks another version is refused rather than half-understood.
 */
export const PROTOCOL_VERSION = 1;

/** Marker every framewire window message carries, so foreign messages are cheap to skip. */
export const MESSAGE_MARKER = 'framewire';
