import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A collector in its own process, so that it does not share a core with the load generator. */
export interface BenchCollector {
  url: string;
  stop(): Promise<void>;
}

/** Starts `server/main.ts` with `env` and waits until it listens. */
export function startBenchCollector(env: Record<string, string>): Promise<BenchCollector> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, COLLECTOR_PORT: '0', COLLECTOR_LOG_LEVEL: 'warn', COLLECTOR_RATE_LIMIT_BURST: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      resolve({
        url: match[1],
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`collector exited before listening:\n${output}`)));
  });
}
