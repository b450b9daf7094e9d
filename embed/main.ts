import { createEmbed } from '../lib/embed/embed';
import type { Embed } from '../lib/embed/embed';

/** The global the snippet defines: a function that queues commands until this script runs. */
interface FramewireGlobal {
  (...command: unknown[]): void;
  /** Commands given before this script loaded (set by the snippet). */
  q?: ArrayLike<unknown>[];
  /** Set once this script has taken over. */
  loaded?: true;
}

type FramewireWindow = Window & { framewire?: FramewireGlobal };

const PREFIX = '[framewire]';

/**
 * Replaces the snippet's queueing stub with the real command function, then runs the
 * queued commands in order. Errors in a command are reported in the console, never
 * thrown into the host page.
 */
function install(win: FramewireWindow): void {
  const stub = win.framewire;
  if (stub?.loaded) return; // The script was included twice.
  let embed: Embed | null = null;

  const run = (...[name, ...args]: unknown[]): void => {
    try {
      switch (name) {
        case 'init':
          if (embed) return console.warn(`${PREFIX} Already initialised; call framewire('destroy') first.`);
          embed = createEmbed(args[0], win);
          return;
        case 'open':
          return embed?.open();
        case 'close':
          return embed?.close();
        case 'destroy':
          embed?.destroy();
          embed = null;
          return;
        default:
          console.warn(`${PREFIX} Unknown command ${JSON.stringify(name)}.`);
      }
    } catch (error) {
      console.error(`${PREFIX} ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const framewire: FramewireGlobal = Object.assign((...command: unknown[]) => run(...command), { loaded: true as const });
  win.framewire = framewire;
  for (const command of stub?.q ?? []) run(...Array.from(command));
}

install(window as FramewireWindow);
