import { request as httpRequest } from 'node:http';

/** An answer as the tests look at it. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  /** A string or object (sent as JSON), or raw bytes. */
  body?: unknown;
  /** @default "application/json" when there is a body */
  contentType?: string | null;
  headers?: Record<string, string>;
}

/**
 * One HTTP request over a fresh connection. The answer is kept even when the server answers
 * before reading the whole body (413) and the upload then fails.
 */
export function send(url: string, options: SendOptions = {}): Promise<HttpAnswer> {
  const { body } = options;
  const payload =
    body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers: Record<string, string> = { connection: 'close', ...options.headers };
  const contentType = options.contentType === undefined ? (payload ? 'application/json' : null) : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? (payload ? 'POST' : 'GET'), headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET after an early answer: the 'response' handler already has it.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(payload);
  });
}

/** POSTs a JSON body to `base + path`. */
export function post(base: string, path: string, body: unknown, options: Omit<SendOptions, 'body'> = {}): Promise<HttpAnswer> {
  return send(`${base}${path}`, { ...options, method: 'POST', body });
}
