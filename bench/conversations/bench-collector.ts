import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../../__tests__/support/deadline';

const CHILD = fileURLToPath(new URL('./collector-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_DEADLINE_MS = 60_000;
const ANSWER_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 20_000;

/** The collector process's memory after a full garbage collection, in bytes. */
export interface MemoryFigures {
  rss: number;
  heapUsed: number;
}

/** A collector in its own process (`--expose-gc`), measurable from the benchmark. */
export interface BenchCollector {
  url: string;
  memory(): Promise<MemoryFigures>;
  stop(): Promise<void>;
}

type ChildMessage = { type: 'listening'; url: string } | ({ type: 'memory' } & MemoryFigures);

/** Starts `collector-child.ts` with `env` added and waits (at most 60 s) until it listens. */
export async function startBenchCollector(env: Record<string, string>): Promise<BenchCollector> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, COLLECTOR_PORT: '0', COLLECTOR_LOG_LEVEL: 'warn', RETENTION_ENABLED: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T extends ChildMessage['type']>(type: T, what: string, ms: number): Promise<Extract<ChildMessage, { type: T }>> =>
    withDeadline(
      new Promise((resolve, reject) => {
        const onMessage = (message: ChildMessage) => {
          if (message.type !== type) return;
          child.off('message', onMessage);
          resolve(message as Extract<ChildMessage, { type: T }>);
        };
        child.on('message', onMessage);
        void exited.then(() => reject(new Error(`the bench collector exited while waiting for ${what}`)));
      }),
      ms,
      what,
    );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    await withDeadline(exited, STOP_DEADLINE_MS, 'the bench collector stopping').catch(() => {
      child.kill('SIGKILL');
      return exited;
    });
  };
  try {
    const { url } = await next('listening', 'the bench collector starting', START_DEADLINE_MS);
    return {
      url,
      async memory() {
        const answer = next('memory', 'the bench collector measuring its memory', ANSWER_DEADLINE_MS);
        child.send({ type: 'memory' });
        const { rss, heapUsed } = await answer;
        return { rss, heapUsed };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
