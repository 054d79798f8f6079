import { connect } from 'node:net';

/** A request that stalls this long is a failure in itself (the event-loop bound is far lower). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte (no encoding): hostile paths such as `%zz` or raw UTF-8 reach the server as written. */
  readonly path: string;
  /** Header lines sent as written, so a hostile value (non-ASCII, odd schemes) is not refused by the client. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseResponse(data: Buffer): RawResponse {
  const split = data.indexOf('\r\n\r\n');
  if (split < 0)
    throw new Error(`incomplete HTTP response (${data.length} bytes): ${data.toString('latin1').slice(0, 200)}`);
  const [statusLine = '', ...lines] = data.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = data.subarray(split + 4);
  const text = (headers['transfer-encoding'] === 'chunked' ? decodeChunked(raw) : raw).toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/**
 * One HTTP/1.1 request on its own connection (`Connection: close`), written and read
 * as bytes. Node's HTTP client and fetch refuse hostile request lines and header
 * values before sending them; robustness tests need the server, not the client, to judge them.
 */
export function rawRequest(origin: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, 'utf8');
  const head = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers ?? {})) head.push(`${name}: ${value}`);
  if (body) head.push(`Content-Length: ${body.length}`);
  const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), body ?? Buffer.alloc(0)]);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(REQUEST_TIMEOUT_MS, () =>
      socket.destroy(
        new Error(`no response within ${REQUEST_TIMEOUT_MS} ms: ${request.method} ${request.path.slice(0, 200)}`),
      ),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      // A server that answers before reading the whole body may reset the connection; keep what was answered.
      try {
        if (chunks.length > 0) return resolve(parseResponse(Buffer.concat(chunks)));
      } catch {
        // fall through: nothing usable was answered
      }
      reject(error);
    });
    socket.on('end', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(bytes);
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * encodeURIComponent over the UTF-8 a client would send: a lone surrogate (which
 * encodeURIComponent refuses) goes out as U+FFFD, as Buffer would encode it.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
}
