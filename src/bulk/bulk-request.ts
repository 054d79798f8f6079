import { CONTROL } from '../common/dto/no-control-characters.validator.js';
import { canonicalKeys } from '../scim/canonical-keys.js';
import { ScimException } from '../scim/errors/scim.exception.js';
import { isPlainObject } from '../scim/resource/scim-resource.js';
import { MESSAGE_BULK_REQUEST } from '../scim/scim.constants.js';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Canonical member names; keys are matched case-insensitively (RFC 7643 §2.1). */
export const BULK_REQUEST_MEMBERS = ['schemas', 'Operations', 'failOnErrors'] as const;
const OPERATION_MEMBERS = ['method', 'bulkId', 'version', 'path', 'data'] as const;

/** Bounds on one operation besides the request's maxOperations and maxPayloadSize. */
export interface BulkOperationLimits {
  readonly maxOperations: number;
  /** UTF-8 bytes of one operation's `data`: what the single call's body limit allows. */
  readonly maxDataBytes: number;
}

/** Longest accepted `bulkId`, `version` (an ETag) and `path`. */
export const MAX_BULK_ID_LENGTH = 256;
const MAX_VERSION_LENGTH = 256;
const MAX_PATH_LENGTH = 1024;

/** One entry of `Operations` (RFC 7644 §3.7), with what made it unusable before anything ran. */
export interface BulkOperation {
  readonly index: number;
  /** Upper case when valid; echoed in the response. */
  readonly method: string;
  readonly bulkId?: string;
  readonly version?: string;
  readonly path?: string;
  readonly data?: unknown;
  readonly invalid?: ScimException;
}

export interface BulkRequest {
  /** Errors after which the rest is not processed (RFC 7644 §3.7.3); absent: no limit. */
  readonly failOnErrors?: number;
  readonly operations: readonly BulkOperation[];
}

/** How many operations a Bulk body holds, before it is parsed further (rate limits count each one). */
export function bulkOperationCount(body: unknown): number {
  if (!isPlainObject(body)) return 0;
  const operations = Object.entries(body).find(([key]) => key.toLowerCase() === 'operations')?.[1];
  return Array.isArray(operations) ? operations.length : 0;
}

function hasSchema(value: unknown, urn: string): boolean {
  const wanted = urn.toLowerCase();
  return Array.isArray(value) && value.some((s) => typeof s === 'string' && s.toLowerCase() === wanted);
}

/**
 * The BulkRequest envelope (RFC 7644 §3.7). Envelope errors are the request's (400; 413 over
 * maxOperations, §3.7.4, naming the limit); an operation's own errors stay with it.
 */
export function parseBulkRequest(sent: unknown, limits: BulkOperationLimits): BulkRequest {
  if (!isPlainObject(sent)) throw ScimException.invalidSyntax('A BulkRequest body must be a JSON object');
  const body = canonicalKeys(sent, BULK_REQUEST_MEMBERS);
  if (!hasSchema(body['schemas'], MESSAGE_BULK_REQUEST)) {
    throw ScimException.invalidSyntax(`schemas must contain "${MESSAGE_BULK_REQUEST}"`);
  }
  const operations = body['Operations'];
  if (!Array.isArray(operations)) throw ScimException.invalidSyntax('Operations must be an array');
  if (operations.length > limits.maxOperations) {
    throw ScimException.bulkLimit(
      `The number of operations (${operations.length}) exceeds the maxOperations (${limits.maxOperations})`,
    );
  }
  const failOnErrors = body['failOnErrors'];
  if (failOnErrors !== undefined && !(Number.isSafeInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw ScimException.invalidValue('failOnErrors must be an integer of at least 1');
  }
  const seen = new Map<string, number>();
  const parsed = operations.map((raw: unknown, index) => parseOperation(raw, index, limits, seen));
  return { ...(failOnErrors === undefined ? {} : { failOnErrors: failOnErrors as number }), operations: parsed };
}

function parseOperation(
  value: unknown,
  index: number,
  limits: BulkOperationLimits,
  seen: Map<string, number>,
): BulkOperation {
  const at = `Operations[${index}]`;
  if (!isPlainObject(value)) {
    return { index, method: '', invalid: ScimException.invalidSyntax(`${at} must be an object`) };
  }
  let raw: Record<string, unknown>;
  try {
    raw = canonicalKeys(value, OPERATION_MEMBERS, at);
  } catch (error) {
    return { index, method: '', invalid: error as ScimException };
  }
  const sent = typeof raw['method'] === 'string' ? raw['method'] : '';
  const method = sent.toUpperCase();
  const fields = {
    index,
    method: METHODS.includes(method as BulkMethod) ? method : sent.slice(0, 16),
    ...optionalString(raw, 'bulkId', MAX_BULK_ID_LENGTH),
    ...optionalString(raw, 'version', MAX_VERSION_LENGTH),
    ...optionalString(raw, 'path', MAX_PATH_LENGTH),
    ...(raw['data'] === undefined ? {} : { data: raw['data'] }),
  };
  const invalid = operationError(raw, fields, at, limits, seen);
  return invalid ? { ...fields, invalid } : fields;
}

/** A string field within its bound; anything else is left out (operationError reports it). */
function optionalString(raw: Record<string, unknown>, key: string, max: number): Record<string, string> {
  const value = raw[key];
  return typeof value === 'string' && value.length <= max && !CONTROL.test(value) ? { [key]: value } : {};
}

function operationError(
  raw: Record<string, unknown>,
  op: Omit<BulkOperation, 'invalid'>,
  at: string,
  limits: BulkOperationLimits,
  seen: Map<string, number>,
): ScimException | undefined {
  if (!METHODS.includes(op.method as BulkMethod)) {
    return ScimException.invalidSyntax(`${at}.method must be one of ${METHODS.join(', ')}`);
  }
  for (const [key, max] of [
    ['bulkId', MAX_BULK_ID_LENGTH],
    ['version', MAX_VERSION_LENGTH],
    ['path', MAX_PATH_LENGTH],
  ] as const) {
    if (raw[key] !== undefined && op[key] === undefined) {
      return ScimException.invalidValue(
        `${at}.${key} must be a string of at most ${max} characters without control characters`,
      );
    }
  }
  if (op.path === undefined) return ScimException.invalidSyntax(`${at}.path is required`);
  if (op.method === 'POST' && (op.bulkId === undefined || op.bulkId === '')) {
    return ScimException.invalidSyntax(`${at}.bulkId is required for POST (RFC 7644 §3.7)`);
  }
  if (op.bulkId !== undefined) {
    const first = seen.get(op.bulkId);
    if (first !== undefined) {
      return ScimException.invalidValue(`${at}.bulkId '${op.bulkId}' is already used by Operations[${first}]`);
    }
    seen.set(op.bulkId, op.index);
  }
  return dataError(op, at, limits);
}

function dataError(
  op: Omit<BulkOperation, 'invalid'>,
  at: string,
  limits: BulkOperationLimits,
): ScimException | undefined {
  if (op.method === 'DELETE') return undefined;
  if (!isPlainObject(op.data)) return ScimException.invalidSyntax(`${at}.data must be an object for ${op.method}`);
  const bytes = Buffer.byteLength(JSON.stringify(op.data));
  if (bytes > limits.maxDataBytes) {
    return ScimException.bulkLimit(`${at}.data is ${bytes} bytes, more than the limit of ${limits.maxDataBytes} bytes`);
  }
  return undefined;
}
