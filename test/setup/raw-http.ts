import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** A socket error seen before the whole response was read (EPIPE, ECONNRESET), if any. */
  readonly error?: string;
}

export interface RawRequest {
  /** The request line and headers, without the blank line that ends them. */
  readonly head: string;
  /** Written in order after the head; each is awaited (flushed) before the next. */
  readonly chunks?: readonly (Buffer | string)[];
  /** Half-close after the last chunk (default true); false leaves the body unfinished. */
  readonly end?: boolean;
  /** Read nothing before every chunk is written (a client that sends the whole body first). */
  readonly writeAllFirst?: boolean;
}

function parse(raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const lines = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.subarray(split + 4);
  const length = Number(headers['content-length']);
  if (!Number.isInteger(length) || body.length < length) return undefined;
  return { status, headers, body: body.subarray(0, length) };
}

/**
 * One HTTP/1.1 exchange over a plain socket, for what supertest cannot do: a body
 * that never finishes, or a client that writes everything before reading. Resolves
 * with the first complete response (by Content-Length), or rejects when the
 * connection ends without one.
 */
export function rawExchange(origin: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let error: string | undefined;
    let written = !request.writeAllFirst;
    // Not reading leaves the answer in the kernel's receive buffer, where a reset discards it.
    if (request.writeAllFirst) socket.pause();
    const settle = (): boolean => {
      if (!written) return false;
      const parsed = parse(Buffer.concat(received));
      if (!parsed) return false;
      socket.destroy();
      resolve({
        status: parsed.status,
        headers: parsed.headers,
        body: parsed.body.toString('utf8'),
        ...(error ? { error } : {}),
      });
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      settle();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
    });
    socket.on('close', () => {
      if (!settle())
        reject(
          new Error(
            `connection closed without a complete response (${error ?? 'no error'}): ${Buffer.concat(received).toString('latin1').slice(0, 200)}`,
          ),
        );
    });
    void (async () => {
      const write = (data: Buffer | string): Promise<void> => new Promise((done) => socket.write(data, () => done()));
      await write(`${request.head}\r\n\r\n`);
      for (const chunk of request.chunks ?? []) await write(chunk);
      if (request.end !== false) socket.end();
      written = true;
      socket.resume();
      settle();
    })();
  });
}
