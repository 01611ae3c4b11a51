import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BusyError } from '../errors';
import { isTier, type Tier } from '../licensing/features';
import { LICENSE_STATUSES, LICENSE_STEPS, type GuildLicense, type License, type LicenseStatus, type LicenseStep } from '../licensing/model';
import type { ActivationResult, AuditEntry, LicenseStore } from '../licensing/ports';
import { auditItem } from './dynamo-audit';
import { queryAll, transactWrite } from './dynamo-helpers';
import { DueKind, Keys } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How often a write whose conditions changed under it (another activation, an ops change) is re-read and tried again. */
export const ATTEMPTS = 6;

/**
 * Licenses and activations in DynamoDB.
 *
 * - `LICENSE#<hash>` / `LICENSE`: the license (seat count, status, expiry, `rev`, due step in `ByDue`,
 *   GSI1 `LICENSES` for ops).
 * - `LICENSE#<hash>` / `GUILD#<gid>` and `GUILD#<gid>` / `LICENSE`: the two halves of an activation.
 *   The guild half copies tier, status and expiry so the gate is one GetItem; every ops change
 *   rewrites the license and each copy in one transaction, conditional on `rev` and `seatsUsed`, so
 *   a copy can never be stale.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
export class DynamoLicenseStore implements LicenseStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(keyHash: string): Promise<License | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.license(keyHash), ConsistentRead: true }));
    return res.Item ? toLicense(res.Item) : null;
  }

  /**
   * A consistent read: right after an activation or an extension the gate must see it (one small
   * item, so the doubled read cost is negligible).
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html
   */
  async guildBinding(guildId: string): Promise<GuildLicense | null> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.guildLicense(guildId), ConsistentRead: true }));
    return res.Item ? toBinding(res.Item) : null;
  }

  /** Whether the license side of an activation with `guildId` exists (it may outlive a guild half lost to an old purge). */
  protected async hasLicenseHalf(keyHash: string, guildId: string): Promise<boolean> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: Keys.licenseGuild(keyHash, guildId), ConsistentRead: true, ProjectionExpression: 'PK' }));
    return res.Item !== undefined;
  }

  async boundGuilds(keyHash: string): Promise<Array<{ guildId: string; activatedAt: number; activatedBy: string }>> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :g)',
      ExpressionAttributeValues: { ':pk': Keys.licensePk(keyHash), ':g': 'GUILD#' },
      ConsistentRead: true,
    });
    return items.map((i) => ({ guildId: String(i.guildId), activatedAt: Number(i.activatedAt), activatedBy: String(i.activatedBy) }));
  }

  async activate(input: { keyHash: string; guildId: string; actor: string; now: number; replaceable: (binding: GuildLicense) => boolean }): Promise<ActivationResult> {
    const { keyHash, guildId, actor, now } = input;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [license, binding, leftover] = await Promise.all([this.get(keyHash), this.guildBinding(guildId), this.hasLicenseHalf(keyHash, guildId)]);
      // Unknown, suspended, revoked and expired keys get one answer: nothing tells a guesser which keys exist.
      if (!license || license.status !== 'active' || license.expiresAt <= now) return { ok: false, reason: 'invalid' };
      if (binding && (binding.keyHash === keyHash || !input.replaceable(binding))) return { ok: false, reason: 'already_bound', binding };
      // A license half without its guild half (left by a purge that failed partway) still holds this
      // guild's seat: the activation takes that seat over instead of taking another one.
      if (!leftover && license.seatsUsed >= license.seats) return { ok: false, reason: 'no_seats', license };

      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: Keys.license(keyHash),
            // Taking over a leftover seat bumps `rev`, so an ops change that read the leftover as
            // stale (and would delete it) starts again.
            UpdateExpression: leftover ? 'SET rev = rev + :one' : 'SET seatsUsed = seatsUsed + :one',
            // `rev` unchanged: the tier, status and expiry copied below are current.
            ConditionExpression: `#status = :active AND expiresAt > :now AND rev = :rev${leftover ? '' : ' AND seatsUsed < seats'}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':active': 'active', ':now': now, ':rev': license.rev },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...Keys.licenseGuild(keyHash, guildId), guildId, activatedAt: now, activatedBy: actor },
            ConditionExpression: leftover ? 'attribute_exists(PK)' : 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: this.bindingItem({ guildId, keyHash, licenseId: license.id, tier: license.tier, status: license.status, expiresAt: license.expiresAt, activatedAt: now, activatedBy: actor }),
            ...(binding
              ? {
                  // Replaced only in the state `replaceable` was decided on (an extension or a
                  // reactivation meanwhile makes the old license count again: decide anew).
                  ConditionExpression: 'keyHash = :old AND expiresAt = :e AND #status = :s',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':old': binding.keyHash, ':e': binding.expiresAt, ':s': binding.status },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        this.auditPut({ at: now, actor, action: 'license.activate', target: `license:${license.id}`, detail: { guildId, replaced: binding?.licenseId ?? null } }),
      ];
      // The guild half is overwritten above (conditional on the old key), so only the old license's side is released here.
      if (binding) items.push(...this.releaseSeat(binding).slice(1));
      try {
        await transactWrite(this.db, { TransactItems: items });
        const taken = leftover ? { rev: license.rev + 1 } : { seatsUsed: license.seatsUsed + 1 };
        return { ok: true, license: { ...license, ...taken }, replaced: binding?.licenseId ?? null };
      } catch (err) {
        // A condition changed since the reads (another guild took the last seat, this guild was
        // bound meanwhile, ops changed the license): read again and decide with current values.
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    throw new BusyError();
  }

  async deactivate(guildId: string, actor: string, now: number): Promise<{ license: License | null; binding: GuildLicense } | null> {
    const binding = await this.release(guildId, (b) => ({ at: now, actor, action: 'license.deactivate', target: `license:${b.licenseId}`, detail: { guildId } }));
    return binding ? { license: await this.get(binding.keyHash), binding } : null;
  }

  /**
   * Unbinds the guild and frees its seat in one transaction (with `audit`, and `guard`, a condition
   * on another item that must hold). Null when the guild was not bound, or when `guard` failed;
   * the binding released otherwise. Safe to repeat.
   */
  protected async release(guildId: string, audit: (binding: GuildLicense) => AuditEntry, guard?: TransactItem): Promise<GuildLicense | null> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const binding = await this.guildBinding(guildId);
      if (!binding) return null;
      try {
        await transactWrite(this.db, { TransactItems: [...(guard ? [guard] : []), ...this.releaseSeat(binding), this.auditPut(audit(binding))] });
        return binding;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        if (guard && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return null;
      }
    }
    throw new BusyError();
  }

  /** Both halves of an activation deleted and the seat given back (the guild half first). */
  protected releaseSeat(binding: GuildLicense): TransactItem[] {
    return [
      { Delete: { TableName: this.tableName, Key: Keys.guildLicense(binding.guildId), ConditionExpression: 'keyHash = :h', ExpressionAttributeValues: { ':h': binding.keyHash } } },
      { Delete: { TableName: this.tableName, Key: Keys.licenseGuild(binding.keyHash, binding.guildId) } },
      {
        Update: {
          TableName: this.tableName,
          Key: Keys.license(binding.keyHash),
          UpdateExpression: 'SET seatsUsed = seatsUsed - :one',
          ConditionExpression: 'seatsUsed > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ];
  }

  protected auditPut(entry: AuditEntry): TransactItem & { Put: NonNullable<TransactItem['Put']> } {
    return { Put: { TableName: this.tableName, Item: auditItem(entry) } };
  }

  protected bindingItem(b: GuildLicense): Record<string, unknown> {
    return { ...Keys.guildLicense(b.guildId), ...b };
  }
}

/** A license as its table item (also used to seed benchmarks in bulk). */
export function licenseItem(l: License): Record<string, unknown> {
  return {
    ...Keys.license(l.keyHash),
    ...Keys.licenseIndex(l.id),
    id: l.id,
    keyHash: l.keyHash,
    tier: l.tier,
    seats: l.seats,
    seatsUsed: l.seatsUsed,
    issuedAt: l.issuedAt,
    expiresAt: l.expiresAt,
    status: l.status,
    contact: l.contact,
    notes: l.notes,
    rev: l.rev,
    ...(l.dueStep && l.dueAt !== null ? { dueKind: DueKind.license, dueStep: l.dueStep, dueAt: l.dueAt } : {}),
  };
}

const asTier = (v: unknown): Tier => (typeof v === 'string' && isTier(v) ? v : 'standard');
const asStatus = (v: unknown): LicenseStatus => (LICENSE_STATUSES.includes(v as LicenseStatus) ? (v as LicenseStatus) : 'suspended');

export function toLicense(i: Record<string, unknown>): License {
  return {
    id: String(i.id),
    keyHash: String(i.keyHash),
    tier: asTier(i.tier),
    seats: Number(i.seats),
    seatsUsed: Number(i.seatsUsed ?? 0),
    issuedAt: Number(i.issuedAt),
    expiresAt: Number(i.expiresAt),
    status: asStatus(i.status),
    contact: String(i.contact ?? ''),
    notes: typeof i.notes === 'string' ? i.notes : null,
    rev: Number(i.rev ?? 0),
    dueStep: LICENSE_STEPS.includes(i.dueStep as LicenseStep) && i.dueKind ? (i.dueStep as LicenseStep) : null,
    dueAt: typeof i.dueAt === 'number' && i.dueKind ? i.dueAt : null,
  };
}

function toBinding(i: Record<string, unknown>): GuildLicense {
  return {
    guildId: String(i.guildId),
    keyHash: String(i.keyHash),
    licenseId: String(i.licenseId),
    tier: asTier(i.tier),
    status: asStatus(i.status),
    expiresAt: Number(i.expiresAt),
    activatedAt: Number(i.activatedAt),
    activatedBy: String(i.activatedBy),
  };
}
