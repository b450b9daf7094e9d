import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server';
import { sqliteFixture } from './support/engines';
import { batch, clicks } from '../support/events';
import { post, send } from './support/http';
import { startCollectorProcess } from '../support/collector-process';
import type { CollectorProcess } from '../support/collector-process';

const fixture = sqliteFixture();
const children: CollectorProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await fixture.teardown();
});

async function start(databaseUrl: string): Promise<CollectorProcess> {
  const child = await startCollectorProcess({ DATABASE_URL: databaseUrl });
  children.push(child);
  return child;
}

describe('durability and shutdown of the collector process', () => {
  it('keeps every event answered 200 after kill -9 and a restart', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    const first = await start(databaseUrl);
    const sent = Array.from({ length: 20 }, () => batch(clicks(10), 'durable'));
    const answers = await Promise.all(sent.map((body) => post(first.url, '/api/track/click/batch', body)));
    const acknowledged = answers.flatMap((a) => (a.status === 200 ? (a.json as { accepted: string[] }).accepted : []));
    expect(acknowledged).toHaveLength(200);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start(databaseUrl);
    const retried = await post(second.url, '/api/track/click/batch', sent[0]);
    expect((retried.json as { duplicates: string[] }).duplicates).toHaveLength(10);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const store = await openStore({ databaseUrl });
    const stored = await store.listEvents({ widgetId: 'durable' });
    await store.close();
    expect(stored.map((r) => r.eventId).sort()).toEqual([...acknowledged].sort());
  });

  it('finishes a request in flight on SIGTERM, refuses new connections, then exits 0', async () => {
    const databaseUrl = await fixture.freshDatabaseUrl();
    const child = await start(databaseUrl);
    const body = Buffer.from(JSON.stringify(batch(clicks(5), 'inflight')));
    // Send the headers and half the body, stop the collector, then send the rest.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${child.url}/api/track/click/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 40));
      req.flushHeaders();
      setTimeout(() => {
        child.child.kill('SIGTERM');
        setTimeout(() => req.end(body.subarray(40)), 300);
      }, 200);
    });
    const done = await answer;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.text).accepted).toHaveLength(5);
    expect((await child.exited).code).toBe(0);
    await expect(send(`${child.url}/healthz`)).rejects.toThrow();

    const store = await openStore({ databaseUrl });
    expect(await store.listEvents({ widgetId: 'inflight' })).toHaveLength(5);
    await store.close();
  });
});
