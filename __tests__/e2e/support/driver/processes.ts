import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { sleep } from './poll';

/** Deadline of a helper process coming up, and of it going away after SIGTERM (ms). */
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** A helper process started in a process group of its own, so that stopping it stops its children too. */
export interface GroupProcess {
  readonly child: ChildProcess;
  /** SIGTERM to the group, SIGKILL after a deadline; resolves once the leader has exited. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Groups still running: killed if this process exits without stopping them (a test file that crashed). */
const live = new Set<number>();
let exitHookInstalled = false;

function killLiveGroups(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], env: NodeJS.ProcessEnv, stdio: Array<'ignore' | 'pipe'>): GroupProcess {
  const child = spawn(command, args, { detached: true, env, stdio });
  // Detached, the group would outlive this process: remember it until it is stopped.
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killLiveGroups);
  }
  if (child.pid !== undefined) live.add(child.pid);
  const gone = new Promise<void>((resolve) => {
    if (exited(child)) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return {
    child,
    async stop() {
      if (child.pid !== undefined) live.delete(child.pid);
      signalGroup('SIGTERM');
      const timedOut = await Promise.race([gone.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
      // Children may outlive the leader (or ignore SIGTERM): the group gets SIGKILL either way.
      signalGroup('SIGKILL');
      if (timedOut) await Promise.race([gone, sleep(STOP_TIMEOUT_MS)]);
    },
  };
}

/** A virtual X display, for browsers that have no headless mode. */
export interface VirtualDisplay {
  /** The `DISPLAY` value, e.g. `:99`. */
  readonly display: string;
  stop(): Promise<void>;
}

/**
 * Starts Xvfb on the first free display: Xvfb picks it itself and writes its number to a
 * pipe (`-displayfd`), so parallel runs never race for the same display.
 */
export async function startXvfb(xvfbPath: string): Promise<VirtualDisplay> {
  const xvfb = spawnGroup(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], process.env, ['ignore', 'ignore', 'pipe', 'pipe']);
  const pipe = xvfb.child.stdio[3];
  const stderr = xvfb.child.stderr;
  let log = '';
  stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-2000);
  });
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within ${START_TIMEOUT_MS} ms. ${log}`)), START_TIMEOUT_MS);
    pipe?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    xvfb.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${String(code)}) before it reported a display. ${log}`));
    });
  }).catch(async (error: unknown) => {
    await xvfb.stop();
    throw error;
  });
  pipe?.destroy();
  return { display: `:${number}`, stop: () => xvfb.stop() };
}

/** Polls `check` every 50 ms until it resolves true; rejects with `what` after `timeout` ms. */
export async function waitUntilUp(what: string, check: () => Promise<boolean>, isDead: () => boolean, timeout = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (isDead()) throw new Error(`${what} exited before it was ready.`);
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeout} ms.`);
    await sleep(50);
  }
}

export { exited };
