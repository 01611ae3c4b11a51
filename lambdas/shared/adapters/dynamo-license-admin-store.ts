import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BusyError } from '../errors';
import type { License, LicenseStatus, LicenseStep } from '../licensing/model';
import type { AuditEntry, LicenseAdminStore, LicenseChange } from '../licensing/ports';
import { batchGet, queryAll, sendIf, transactWrite } from './dynamo-helpers';
import { ATTEMPTS, DynamoLicenseStore, licenseItem, toLicense, type TransactItem } from './dynamo-license-store';
import { DueKind, Keys } from './keys';

/**
 * The ops and sweeper side of licenses (issue, list, change, move, the expiry schedule), on the
 * same items as `DynamoLicenseStore`; a separate module so the interactions λ does not carry it.
 */
export class DynamoLicenseAdminStore extends DynamoLicenseStore implements LicenseAdminStore {
  async issue(license: License, audit: AuditEntry): Promise<boolean> {
    try {
      await transactWrite(this.db, {
        TransactItems: [
          { Put: { TableName: this.tableName, Item: licenseItem(license), ConditionExpression: 'attribute_not_exists(PK)' } },
          this.auditPut(audit),
        ],
      });
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return false;
      throw err;
    }
  }

  async getById(id: string): Promise<License | null> {
    const res = await this.db.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk', ExpressionAttributeValues: { ':pk': 'LICENSES', ':sk': Keys.licenseIndex(id).GSI1SK } }),
    );
    const item = res.Items?.[0];
    // The index is eventually consistent: read the item itself for current values.
    return item ? this.get(String(item.keyHash)) : null;
  }

  async list(): Promise<License[]> {
    const items = await queryAll(this.db, { TableName: this.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'LICENSES' } });
    return items.map(toLicense).sort((a, b) => a.issuedAt - b.issuedAt);
  }

  async releasePurgedGuild(guildId: string, now: number): Promise<boolean> {
    // Only while the guild's purge is claimed: a guild re-added meanwhile keeps its license.
    const purging: TransactItem = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: Keys.guildConfig(guildId),
        ConditionExpression: '#status = :purging',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':purging': 'purging' },
      },
    };
    const released = await this.release(guildId, (b) => ({ at: now, actor: 'system:purge', action: 'license.release', target: `license:${b.licenseId}`, detail: { guildId } }), purging);
    return released !== null;
  }

  async move(keyHash: string, fromGuildId: string, toGuildId: string, audit: AuditEntry): Promise<'moved' | 'not_bound' | 'target_bound'> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [license, from, to] = await Promise.all([this.get(keyHash), this.guildBinding(fromGuildId), this.guildBinding(toGuildId)]);
      if (!license || !from || from.keyHash !== keyHash) return 'not_bound';
      if (to) return 'target_bound';
      try {
        await transactWrite(this.db, {
          TransactItems: [
            {
              // The copies written below must match the license: no ops change in between.
              ConditionCheck: { TableName: this.tableName, Key: Keys.license(keyHash), ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': license.rev } },
            },
            { Delete: { TableName: this.tableName, Key: Keys.guildLicense(fromGuildId), ConditionExpression: 'keyHash = :h', ExpressionAttributeValues: { ':h': keyHash } } },
            { Delete: { TableName: this.tableName, Key: Keys.licenseGuild(keyHash, fromGuildId) } },
            { Put: { TableName: this.tableName, Item: { ...Keys.licenseGuild(keyHash, toGuildId), guildId: toGuildId, activatedAt: audit.at, activatedBy: audit.actor }, ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Put: {
                TableName: this.tableName,
                Item: this.bindingItem({ guildId: toGuildId, keyHash, licenseId: license.id, tier: license.tier, status: from.status, expiresAt: license.expiresAt, activatedAt: audit.at, activatedBy: audit.actor }),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            this.auditPut(audit),
          ],
        });
        return 'moved';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    throw new BusyError();
  }

  async update(
    keyHash: string,
    decide: (current: License) => { change: LicenseChange; schedule: { dueStep: LicenseStep; dueAt: number } | null },
    audit: AuditEntry,
  ): Promise<License | null> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [license, guilds] = await Promise.all([this.get(keyHash), this.boundGuilds(keyHash)]);
      if (!license) return null;
      // A license-side link whose guild half is gone (a purge that failed partway, before seats were
      // released first) is deleted and its seat given back here, rather than failing the change.
      const halves = await batchGet(this.db, this.tableName, guilds.map((g) => Keys.guildLicense(g.guildId)), { expression: 'guildId, keyHash' }, true);
      const live = new Set(halves.filter((h) => h.keyHash === keyHash).map((h) => String(h.guildId)));
      const leftovers = guilds.filter((g) => !live.has(g.guildId));
      const { change, schedule } = decide(license);
      const next: License = {
        ...license,
        ...change,
        seatsUsed: license.seatsUsed - leftovers.length,
        rev: license.rev + 1,
        dueStep: schedule?.dueStep ?? null,
        dueAt: schedule?.dueAt ?? null,
      };
      // Guilds follow the license, except `expired`, which they derive from the expiry time themselves.
      const copiedStatus: LicenseStatus = next.status === 'expired' ? 'active' : next.status;
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: licenseItem(next),
            // `seatsUsed` unchanged: the guild list read above is complete (an activation meanwhile retries this);
            // `rev` unchanged: no activation took over a leftover link meanwhile.
            ConditionExpression: 'rev = :rev AND seatsUsed = :used',
            ExpressionAttributeValues: { ':rev': license.rev, ':used': license.seatsUsed },
          },
        },
        ...guilds.map(
          (g): TransactItem =>
            live.has(g.guildId)
              ? {
                  Update: {
                    TableName: this.tableName,
                    Key: Keys.guildLicense(g.guildId),
                    UpdateExpression: 'SET tier = :tier, #status = :status, expiresAt = :exp',
                    ConditionExpression: 'keyHash = :h',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':tier': next.tier, ':status': copiedStatus, ':exp': next.expiresAt, ':h': keyHash },
                  },
                }
              : { Delete: { TableName: this.tableName, Key: Keys.licenseGuild(keyHash, g.guildId), ConditionExpression: 'attribute_exists(PK)' } },
        ),
        this.auditPut(audit),
        // One entry for all of them: the transaction stays within its 100 items (MAX_SEATS + 3).
        ...(leftovers.length
          ? [this.auditPut({ at: audit.at, actor: audit.actor, action: 'license.release', target: audit.target, detail: { guildIds: leftovers.map((g) => g.guildId).join(','), reason: 'guild link missing' } })]
          : []),
      ];
      try {
        await transactWrite(this.db, { TransactItems: items });
        return next;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    throw new BusyError();
  }

  async dueLicenses(now: number, limit: number): Promise<License[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'ByDue',
        KeyConditionExpression: 'dueKind = :k AND dueAt <= :now',
        ExpressionAttributeValues: { ':k': DueKind.license, ':now': now },
        Limit: limit,
      }),
    );
    // The index projects the whole item: no second read per license.
    return (res.Items ?? []).map(toLicense);
  }

  async advance(license: License, run: LicenseStep, next: { step: LicenseStep; at: number } | null, now: number): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':seen': license.dueStep, ':exp': license.expiresAt, ':rev': license.rev, ':now': now, ':run': run };
    const sets = ['lastStep = :run', 'lastStepAt = :now'];
    if (run === 'expire') {
      sets.push('#status = :expired');
      values[':expired'] = 'expired';
    }
    let update = `SET ${sets.join(', ')}`;
    if (next) {
      update += ', dueStep = :next, dueAt = :at';
      values[':next'] = next.step;
      values[':at'] = next.at;
    } else {
      update += ' REMOVE dueKind, dueAt, dueStep';
    }
    return sendIf(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key: Keys.license(license.keyHash),
        UpdateExpression: update,
        ConditionExpression: 'dueStep = :seen AND expiresAt = :exp AND rev = :rev AND #status IN (:active, :expiredState)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':active': 'active', ':expiredState': 'expired' },
      }),
    );
  }

  /** Writes an audit entry on its own (ops actions that change nothing else are still recorded). */
  async audit(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand(this.auditPut(entry).Put!));
  }
}
