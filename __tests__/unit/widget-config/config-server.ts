import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConfigHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A collector stand-in on a free port, serving `GET /api/widgets/:id/config` with whatever
 * the test's handler answers; it records each request's path and `If-None-Match`.
 */
export async function startConfigServer() {
  let handler: ConfigHandler = (_request, response) => response.writeHead(503).end();
  const requests: { url: string; ifNoneMatch: string | null }[] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', ifNoneMatch: (request.headers['if-none-match'] as string | undefined) ?? null });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next: ConfigHandler) {
      handler = next;
    },
    /** Answers 200 with the config and its ETag, or 304 when `If-None-Match` matches. */
    serve(config: { revision: number }) {
      handler = (request, response) => {
        const etag = `"${config.revision}"`;
        if (request.headers['if-none-match'] === etag) {
          response.writeHead(304, { ETag: etag }).end();
          return;
        }
        response.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(JSON.stringify(config));
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
