import type { IncomingMessage } from 'node:http';

/** How long an error answer waits for the rest of an unread request body before the connection closes. */
export const LINGER_MAX_MS = 2000;
const LINGER_MIN_BYTES = 16 * 1024 * 1024;

/** How many unread body bytes are discarded at most: twice the body limit, and at least 16 MiB. */
export function lingerMaxBytes(bodyLimit: number): number {
  return Math.max(2 * bodyLimit, LINGER_MIN_BYTES);
}

/**
 * Reads and discards what is left of a request body. Resolves when the body has
 * ended, when more than `maxBytes` were discarded, or after `maxMs`, whichever
 * comes first. A server that closes while the client is still sending makes the
 * client's TCP stack see a reset that can discard the answer it has not read yet;
 * RFC 9112 §9.6 asks for this lingering read instead.
 */
export function discardRequestBody(req: IncomingMessage, maxBytes: number, maxMs: number): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', finish);
      req.off('close', finish);
      req.off('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish();
    };
    const timer = setTimeout(finish, maxMs);
    req.on('data', onData);
    req.once('end', finish);
    req.once('close', finish);
    req.once('error', finish);
    req.resume();
  });
}
