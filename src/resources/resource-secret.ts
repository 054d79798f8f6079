import { ScimException } from '../scim/errors/scim.exception.js';
import type { SecretParts } from './resource-type.parts.js';

type WriteOnly = Readonly<Record<string, unknown>>;

/** A PATCH needs another secret than the one prepared before its transaction. */
class SecretToPrepare extends Error {
  constructor(readonly value: string) {
    super('secret to prepare outside the transaction');
  }
}

/** A writeOnly value with the secret prepared from it. */
export interface PreparedSecret {
  readonly value: string;
  readonly prepared: string;
}

// The secret depends on the operations only, so a second attempt already has it prepared;
// the bound only keeps a pathological interleaving from looping.
const MAX_PATCH_HASH_ATTEMPTS = 3;

/**
 * The writeOnly attribute (RFC 7643 §7) a type stores as a secret, prepared outside any
 * transaction: POST and PUT prepare the validated value first; a PATCH prepares the value
 * its operations give on the committed document, and inside the transaction uses it only
 * for that same value (else SecretToPrepare: it leaves, prepares, and runs again).
 */
export class ResourceSecrets {
  private readonly named: RegExp;

  constructor(private readonly parts: SecretParts) {
    this.named = new RegExp(parts.attribute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }

  get column(): string {
    return this.parts.column;
  }

  /** The secret of validated writeOnly attributes; null when they set none. */
  async prepare(writeOnly: WriteOnly): Promise<string | null> {
    const value = writeOnly[this.parts.attribute];
    return typeof value === 'string' ? this.parts.prepare(value) : null;
  }

  /**
   * The secret a PATCH sets, prepared outside any transaction from what its operations give
   * on the committed document (`committed`: undefined when they do not apply there). Most
   * PATCHes name no secret and skip that read and dry run; only a speed-up: if one came
   * through anyway, the transaction's SecretToPrepare still prepares it.
   */
  async forPatch(
    operations: unknown,
    committed: () => Promise<WriteOnly | undefined>,
  ): Promise<PreparedSecret | undefined> {
    if (!this.named.test(JSON.stringify(operations) ?? '')) return undefined;
    const writeOnly = await committed();
    return writeOnly ? this.prepareValue(writeOnly[this.parts.attribute]) : undefined;
  }

  /** Runs a PATCH with the prepared secret; when it needs another, prepares that one and runs it again. */
  async retrying<T>(
    first: PreparedSecret | undefined,
    run: (prepared: PreparedSecret | undefined) => Promise<T>,
  ): Promise<T> {
    let prepared = first;
    for (let attempt = 1; attempt <= MAX_PATCH_HASH_ATTEMPTS; attempt++) {
      try {
        return await run(prepared);
      } catch (error) {
        if (!(error instanceof SecretToPrepare)) throw error;
        prepared = await this.prepareValue(error.value);
      }
    }
    throw ScimException.serviceUnavailable('The resource is busy; retry the request');
  }

  /** Inside the transaction: the prepared secret for the value a PATCH sets, null for none. */
  inTransaction(writeOnly: WriteOnly, prepared: PreparedSecret | undefined): string | null {
    const value = writeOnly[this.parts.attribute];
    if (typeof value !== 'string') return null;
    if (prepared?.value === value) return prepared.prepared;
    throw new SecretToPrepare(value);
  }

  private async prepareValue(value: unknown): Promise<PreparedSecret | undefined> {
    return typeof value === 'string' ? { value, prepared: await this.parts.prepare(value) } : undefined;
  }
}
