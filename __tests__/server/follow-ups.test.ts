import { Agent, request } from 'node:http';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FOLLOW_UP_MS, registerFollowUps } from '../../server/http/follow-ups';

/** GET `path` on `agent`'s connections; resolves once the answer has been read. */
const get = (url: string, agent: Agent) =>
  new Promise<void>((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

describe('follow-up requests (clients waiting on the collector)', () => {
  const agents: Agent[] = [];
  let close: () => Promise<void> = async () => undefined;
  afterEach(async () => {
    for (const agent of agents) agent.destroy();
    await close();
  });

  it('counts a request as a follow-up when its connection’s previous answer came less than FOLLOW_UP_MS before, and only on the routes it watches', async () => {
    const app = Fastify();
    let clock = 0;
    const seen: boolean[] = [];
    registerFollowUps(app, (req) => req.url !== '/other', (followUp) => seen.push(followUp), () => clock);
    app.get('/watched', async () => ({ ok: true }));
    app.get('/other', async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(kept);

    clock = 100;
    await get(`${base}/watched`, kept); // first on its connection: not a follow-up
    clock = 100 + FOLLOW_UP_MS / 2;
    await get(`${base}/watched`, kept); // the same connection, at once: a follow-up
    clock = 200;
    await get(`${base}/watched`, kept); // the same connection, 100 ms later: not
    await get(`${base}/other`, kept); // not watched: not reported
    const fresh = new Agent({ keepAlive: false });
    agents.push(fresh);
    await get(`${base}/watched`, fresh); // a new connection: not
    expect(seen).toEqual([false, true, false, false]);
  });
});
