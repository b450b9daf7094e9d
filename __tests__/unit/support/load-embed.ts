import { vi } from 'vitest';

/** The page's `framewire` function: the snippet's stub (with its queue) or the embed script's. */
export type Framewire = ((...command: unknown[]) => void) & { q?: unknown[][]; loaded?: boolean };

/** `window`, seen as a page that may have `framewire`. */
export const page = window as unknown as { framewire?: Framewire };

/** The copy-paste snippet's stub with `commands` queued, then the embed script itself (a fresh module each time). */
export async function loadEmbed(commands: unknown[][]): Promise<Framewire> {
  const stub: Framewire = (...command: unknown[]) => void (stub.q ??= []).push(command);
  page.framewire = stub;
  for (const command of commands) stub(...command);
  vi.resetModules();
  await import('../../../embed/main');
  return page.framewire as Framewire;
}
