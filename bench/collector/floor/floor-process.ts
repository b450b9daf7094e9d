import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../../../__tests__/support/deadline';
import type { CollectorProcess } from '../../../__tests__/support/collector-process';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How long the floor may take to start (creating its table included), and to stop after SIGTERM. */
const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 20_000;

/**
 * Starts the floor server (`bench/collector/floor/main.ts`) in its own process, like
 * `startCollectorProcess` starts the collector, and waits for its "listening on" line: at most
 * `START_DEADLINE_MS`, then the process is stopped and the start rejects. `stop()` sends
 * SIGTERM, then SIGKILL after `STOP_DEADLINE_MS`.
 */
export function startFloorProcess(env: Record<string, string>): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/collector/floor/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withDeadline(exited, STOP_DEADLINE_MS, 'the floor stopping').catch(() => {
      child.kill('SIGKILL');
      return exited;
    });
  };
  const started = new Promise<CollectorProcess>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ url: match[1], child, output: () => output, exited, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`floor exited with ${code} before listening:\n${output}`)));
  });
  return withDeadline(started, START_DEADLINE_MS, 'the floor starting').catch(async (error: unknown) => {
    await stop();
    throw error;
  });
}
