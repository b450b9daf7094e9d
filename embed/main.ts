import { createEmbed } from '../lib/embed/embed';
import type { Embed } from '../lib/embed/embed';
import { parseIdentify } from '../lib/embed/identify';
import { parseConsent } from '../lib/embed/consent';

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
  // `identify` before `init` (the page may know its user before it mounts the widget).
  const identities: unknown[][] = [];
  // The page's last consent decision: it also holds for an `init` after it (a consent
  // manager may answer before the widget is mounted), and for a new `init` after `destroy`.
  let consent: boolean | undefined;

  const run = (...[name, ...args]: unknown[]): void => {
    try {
      switch (name) {
        case 'init':
          if (embed) return console.warn(`${PREFIX} Already initialised; destroy first.`);
          embed = createEmbed(args[0], win, consent);
          for (const identity of identities.splice(0)) run('identify', ...identity);
          return;
        case 'identify':
          if (embed) return embed.identify(args[0], args[1]);
          parseIdentify(args[0], args[1]); // Reports a bad call now rather than after init.
          identities.push(args);
          return;
        case 'consent':
          consent = parseConsent(args[0]);
          return embed?.consent(args[0]);
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
