import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A request sent within this long of the answer before it on the same connection was sent the
 * moment that answer arrived: its client (or a proxy in front) had it waiting.
 * @default 1
 */
export const FOLLOW_UP_MS = 1;

/**
 * Reports, for every request of the routes `applies` picks, whether it is a follow-up: sent on
 * a kept-alive connection within {@link FOLLOW_UP_MS} of the previous answer on it. When most
 * requests are, clients are waiting on the collector (a load at its capacity, or a proxy with a
 * queue); browsers' batches come seconds apart, each on its own or an idle connection.
 */
export function registerFollowUps(
  app: FastifyInstance,
  applies: (request: FastifyRequest) => boolean,
  report: (followUp: boolean) => void,
  now: () => number = () => performance.now(),
): void {
  const answeredAt = new WeakMap<Socket, number>();
  app.addHook('onRequest', async (request) => {
    if (!applies(request)) return;
    const last = answeredAt.get(request.raw.socket);
    report(last !== undefined && now() - last <= FOLLOW_UP_MS);
  });
  app.addHook('onResponse', async (request) => {
    if (applies(request)) answeredAt.set(request.raw.socket, now());
  });
}
