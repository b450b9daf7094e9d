import { request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import { request as httpsRequest } from 'node:https';
import type { ResolvedAddress } from './resolve-target';

/** One POST of a delivery. */
export interface WebhookPost {
  url: URL;
  /** The address checked for it: the connection goes there and nowhere else. */
  address: ResolvedAddress;
  body: string;
  headers: Record<string, string>;
  /** Ends the request (the deadline, the dispatcher stopping). */
  signal: AbortSignal;
}

/** The receiver's answer: only the status matters (2xx: delivered). */
export interface WebhookAnswer {
  status: number;
}

/** At most this much of an answer's body is read (and thrown away) before the socket is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * A `lookup` that answers the checked address whatever it is asked: no second DNS query
 * between the check and the connection (rebinding). Node asks with `all: true` when it may
 * try several addresses (autoSelectFamily); it gets the one.
 */
function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (typeof options === 'object' && options.all === true) {
      (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  };
}

/**
 * POSTs a delivery and resolves with the status once the answer has been read. Redirects are
 * not followed (a 3xx is an answer like any other non-2xx). Rejects on a network error or
 * when `signal` aborts. TLS checks the certificate against the URL's host name, as usual.
 */
export function postWebhook(post: WebhookPost): Promise<WebhookAnswer> {
  const send = post.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = Buffer.from(post.body, 'utf8');
  return new Promise<WebhookAnswer>((resolve, reject) => {
    const request = send(
      post.url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(payload.length), connection: 'close' },
        lookup: pinnedLookup(post.address),
        signal: post.signal,
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0 });
        response.on('end', done);
        response.on('close', done);
        response.on('error', () => done());
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
