import { DynamoLicenseAdminStore } from '../../lambdas/shared/adapters/dynamo-license-admin-store';
import { randomBytes } from 'node:crypto';
import { archiveFromConfig } from '../../lambdas/shared/adapters/archive-factory';
import { DynamoGuildStore } from '../../lambdas/shared/adapters/dynamo-guild-store';
import { DynamoTicketTrail } from '../../lambdas/shared/adapters/dynamo-ticket-trail';
import type { TelemetryEvent } from '../../lambdas/shared/contracts/telemetry-event';
import { purgeSweep } from '../../lambdas/shared/domain/sweeps';
import type { Telemetry } from '../../lambdas/shared/ports/telemetry';
import { guildArchivePrefix, SealedArchive, TRANSCRIPT_HTML, transcriptPrefix } from '../../lambdas/shared/transcripts/archive';
import { ArchiveIntegrityError } from '../../lambdas/shared/transcripts/archive-crypto';
import { DataKeyGoneError, EnvelopeDataKeys } from '../../lambdas/shared/transcripts/data-keys';
import { LocalKeyWrapper } from '../../lambdas/shared/adapters/kms-key-wrapper';
import { signLink, verifyLink } from '../../lambdas/shared/transcripts/links';
import type { TranscriptRecord } from '../../lambdas/shared/transcripts/ports';
import { retentionSweep } from '../../lambdas/shared/transcripts/retention';
import { LOCAL_REGION } from '../../local/aws/provision';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

class RecordingTelemetry implements Telemetry {
  events: TelemetryEvent[] = [];
  capture(e: TelemetryEvent) {
    this.events.push(e);
  }
  captureException() {}
  async flush() {}
}

const log = { error: jest.fn(), warn: jest.fn() };

describe('the sealed archive on the S3 emulator and DynamoDB Local', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let a: ReturnType<typeof archiveFromConfig>;
  const clock = new ManualClock();
  const masterKey = randomBytes(32).toString('base64');
  const config = () => ({
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_S3: env.endpoints.sqsS3,
    TABLE_NAME: env.resources.tableName,
    ARCHIVE_BUCKET: env.resources.bucketName,
    ARCHIVE_MASTER_KEY: masterKey,
  });
  beforeAll(async () => {
    env = await provisionForTest('archive');
    a = archiveFromConfig(config(), env.db, () => clock.now());
  });
  afterAll(() => env.destroy());

  const page = Buffer.from('<!doctype html><p>Refund for order 123</p>'.repeat(50));

  it('round-trips compressed + AES-256-GCM objects under one data key per guild; at rest they are ciphertext naming their key', async () => {
    const guildId = randomSnowflake();
    const key = `${transcriptPrefix(guildId, 1, 1000)}${TRANSCRIPT_HTML}`;
    const size = await a.archive.put(guildId, key, page, { compress: true, contentType: 'text/html; charset=utf-8' });
    expect(size).toBeLessThan(page.length / 5);
    expect(await a.archive.get(guildId, key)).toEqual({ data: page, contentType: 'text/html; charset=utf-8' });
    const raw = (await a.store.get(key))!;
    expect(raw.body.includes(Buffer.from('Refund'))).toBe(false);
    const dataKey = (await a.dataKeyStore.get(guildId))!;
    expect(raw.metadata).toMatchObject({ 'dw-key-id': dataKey.keyId, 'dw-nonce': expect.any(String) });
    // The data key is stored only wrapped; a second object reuses it; another guild gets its own.
    expect(dataKey.wrapped.length).toBe(12 + 32 + 16);
    await a.archive.put(guildId, `${key}.2`, page, { compress: false, contentType: 'text/plain' });
    expect((await a.store.get(`${key}.2`))!.metadata['dw-key-id']).toBe(dataKey.keyId);
    const other = randomSnowflake();
    await a.archive.put(other, `${guildArchivePrefix(other)}x`, page, { compress: true, contentType: 'text/plain' });
    expect((await a.dataKeyStore.get(other))!.keyId).not.toBe(dataKey.keyId);
  });

  it('a changed byte, a moved object or another master key fails loudly; deleting the data key shreds the archive', async () => {
    const guildId = randomSnowflake();
    const key = `${transcriptPrefix(guildId, 2, 2000)}${TRANSCRIPT_HTML}`;
    await a.archive.put(guildId, key, page, { compress: true, contentType: 'text/html' });
    const raw = (await a.store.get(key))!;

    // The flags, the nonce, the ciphertext, the tag: any changed bit fails the GCM check.
    for (const at of [4, 45, Math.floor(raw.body.length / 2), raw.body.length - 1]) {
      const tampered = Buffer.from(raw.body);
      tampered[at] ^= 0x01;
      await a.store.put(key, tampered, raw.metadata, 'application/octet-stream');
      await expect(a.archive.get(guildId, key)).rejects.toBeInstanceOf(ArchiveIntegrityError);
    }
    // A changed key id names no key of this guild.
    const renamed = Buffer.from(raw.body);
    renamed[10] ^= 0x01;
    await a.store.put(key, renamed, raw.metadata, 'application/octet-stream');
    await expect(a.archive.get(guildId, key)).rejects.toThrow();
    // Copied to another ticket's path: the path is authenticated too.
    const moved = `${transcriptPrefix(guildId, 3, 3000)}${TRANSCRIPT_HTML}`;
    await a.store.put(moved, raw.body, raw.metadata, 'application/octet-stream');
    await expect(a.archive.get(guildId, moved)).rejects.toThrow(/failed authentication/);
    // Another deployment's master key cannot unwrap this guild's data key.
    await a.store.put(key, raw.body, raw.metadata, 'application/octet-stream');
    const foreign = archiveFromConfig({ ...config(), ARCHIVE_MASTER_KEY: randomBytes(32).toString('base64') }, env.db, () => clock.now());
    await expect(foreign.archive.get(guildId, key)).rejects.toBeInstanceOf(ArchiveIntegrityError);
    expect((await a.archive.get(guildId, key))!.data).toEqual(page);

    // Crypto-shredding: without the data key the objects are unreadable, even with a new key made later.
    await a.dataKeyStore.delete(guildId);
    await expect(a.archive.get(guildId, key)).rejects.toBeInstanceOf(DataKeyGoneError);
    await a.archive.put(guildId, `${guildArchivePrefix(guildId)}new`, page, { compress: true, contentType: 'text/plain' });
    await expect(a.archive.get(guildId, key)).rejects.toBeInstanceOf(DataKeyGoneError);
  });

  it('a transcript record is created once per close and its delivery claimed once (an abandoned claim is taken over after the lease)', async () => {
    const guildId = randomSnowflake();
    const now = clock.now();
    const base: TranscriptRecord = {
      guildId, number: 4, closedAt: now - 1000, prefix: transcriptPrefix(guildId, 4, now - 1000), openerId: randomSnowflake(),
      storedAt: now, messageCount: 3, attachmentCount: 0, bytes: 10, expiresAt: now + 86_400_000, deliveredAt: null,
    };
    expect(await a.records.create(base)).toEqual({ record: base, created: true });
    // A second build of the same close keeps the first record.
    expect(await a.records.create({ ...base, storedAt: now + 5, bytes: 99 })).toEqual({ record: { ...base, embedChannelId: null, embedMessageId: null }, created: false });
    expect(await a.records.claimDelivery(guildId, 4, base.closedAt, now, 90_000)).toBe('claimed');
    expect(await a.records.claimDelivery(guildId, 4, base.closedAt, now + 1000, 90_000)).toBe('busy');
    expect(await a.records.claimDelivery(guildId, 4, base.closedAt, now + 90_000, 90_000)).toBe('claimed');
    await a.records.markDelivered(guildId, 4, base.closedAt, now + 91_000, { channelId: '1', messageId: '2' });
    expect(await a.records.claimDelivery(guildId, 4, base.closedAt, now + 500_000, 90_000)).toBe('delivered');
    // Delivery changes only its own fields: retention still finds the record.
    expect(await a.records.get(guildId, 4, base.closedAt)).toEqual({ ...base, deliveredAt: now + 91_000, embedChannelId: '1', embedMessageId: '2' });
    expect((await a.records.dueExpired(base.expiresAt!, 1000)).map((r) => r.guildId)).toContain(guildId);
  });

  it('unwraps a data key once per container, yet a shredded key is gone at once', async () => {
    const guildId = randomSnowflake();
    const wrapper = new LocalKeyWrapper(Buffer.from(masterKey, 'base64'));
    let unwraps = 0;
    const counting = { id: wrapper.id, generate: (g: string) => wrapper.generate(g), unwrap: (g: string, w: Buffer) => (unwraps++, wrapper.unwrap(g, w)) };
    const keys = new EnvelopeDataKeys(a.dataKeyStore, counting, () => clock.now());
    const sealed = new SealedArchive(a.store, keys);
    const key = `${transcriptPrefix(guildId, 5, 5000)}${TRANSCRIPT_HTML}`;
    await sealed.put(guildId, key, page, { compress: true, contentType: 'text/html' });
    for (let i = 0; i < 5; i++) expect((await sealed.get(guildId, key))!.data).toEqual(page);
    expect(unwraps).toBe(0); // the key made here is kept unwrapped; a reader in another container unwraps once
    const reader = new SealedArchive(a.store, new EnvelopeDataKeys(a.dataKeyStore, counting, () => clock.now()));
    for (let i = 0; i < 5; i++) expect((await reader.get(guildId, key))!.data).toEqual(page);
    expect(unwraps).toBe(1);
    await a.dataKeyStore.delete(guildId);
    await expect(reader.get(guildId, key)).rejects.toBeInstanceOf(DataKeyGoneError);
  });

  it('retention deletes only due transcripts (objects and record), reading the due index', async () => {
    const guildId = randomSnowflake();
    const now = clock.now();
    const record = (number: number, expiresAt: number | null): TranscriptRecord => ({
      guildId, number, closedAt: now - 10 * 86_400_000, prefix: transcriptPrefix(guildId, number, now - 10 * 86_400_000), openerId: randomSnowflake(),
      storedAt: now, messageCount: 3, attachmentCount: 1, bytes: 100, expiresAt, deliveredAt: now,
    });
    const expired = record(1, now - 1);
    const later = record(2, now + 86_400_000);
    const forever = record(3, null);
    for (const r of [expired, later, forever]) {
      await a.archive.put(guildId, r.prefix + TRANSCRIPT_HTML, page, { compress: true, contentType: 'text/html' });
      await a.archive.put(guildId, `${r.prefix}attachments/1`, Buffer.from('file'), { compress: false, contentType: 'text/plain' });
      await a.records.save(r);
    }
    const telemetry = new RecordingTelemetry();
    const sweep = retentionSweep({ records: a.records, archive: a.store, telemetry, log });
    const result = await sweep.run(now);
    expect(result).toMatchObject({ name: 'transcript-retention', done: result.due, failed: 0 });
    expect(await a.records.get(guildId, 1, expired.closedAt)).toBeNull();
    expect(await a.store.get(expired.prefix + TRANSCRIPT_HTML)).toBeNull();
    expect(await a.store.get(`${expired.prefix}attachments/1`)).toBeNull();
    for (const kept of [later, forever]) {
      expect(await a.records.get(guildId, kept.number, kept.closedAt)).toMatchObject({ number: kept.number });
      expect((await a.archive.get(guildId, kept.prefix + TRANSCRIPT_HTML))!.data).toEqual(page);
    }
    expect(telemetry.events).toContainEqual(expect.objectContaining({ event: 'transcripts_expired', guildId, properties: { objects_deleted: 2 } }));
    // A day later the next one is due; the one kept forever never is.
    await sweep.run(now + 2 * 86_400_000);
    expect(await a.records.get(guildId, 2, later.closedAt)).toBeNull();
    expect(await a.records.get(guildId, 3, forever.closedAt)).not.toBeNull();
  });

  it('a guild purge removes its partition (data key, records, trail) and then its archive objects', async () => {
    const guildId = randomSnowflake();
    const guilds = new DynamoGuildStore(env.db, env.resources.tableName);
    const trail = new DynamoTicketTrail(env.db, env.resources.tableName);
    const now = clock.now();
    await guilds.markInstalled(guildId, randomSnowflake(), now - 40 * 86_400_000);
    const prefix = transcriptPrefix(guildId, 1, now - 35 * 86_400_000);
    await a.archive.put(guildId, prefix + TRANSCRIPT_HTML, page, { compress: true, contentType: 'text/html' });
    await a.records.save({ guildId, number: 1, closedAt: now - 35 * 86_400_000, prefix, openerId: randomSnowflake(), storedAt: now, messageCount: 1, attachmentCount: 0, bytes: 1, expiresAt: null, deliveredAt: null });
    await trail.append({ guildId, number: 1, at: now - 36 * 86_400_000, event: 'claimed', actorId: randomSnowflake(), details: {} });
    await guilds.markRemoved(guildId, now - 31 * 86_400_000, now - 86_400_000);

    const result = await purgeSweep({ guilds, licenses: new DynamoLicenseAdminStore(env.db, env.resources.tableName), archive: a.store, telemetry: new RecordingTelemetry(), log }).run(now);
    expect(result.failed).toBe(0);
    expect(await a.dataKeyStore.get(guildId)).toBeNull();
    expect(await a.records.latest(guildId, 1)).toBeNull();
    expect(await trail.list(guildId, 1)).toEqual([]);
    expect(await a.store.get(prefix + TRANSCRIPT_HTML)).toBeNull();
  });

  it('a purge whose archive delete fails stays due (the data key already gone) and the next sweep finishes it', async () => {
    const guildId = randomSnowflake();
    const guilds = new DynamoGuildStore(env.db, env.resources.tableName);
    const now = clock.now();
    await guilds.markInstalled(guildId, randomSnowflake(), now - 40 * 86_400_000);
    const prefix = transcriptPrefix(guildId, 1, now - 35 * 86_400_000);
    await a.archive.put(guildId, prefix + TRANSCRIPT_HTML, page, { compress: true, contentType: 'text/html' });
    await guilds.markRemoved(guildId, now - 31 * 86_400_000, now - 86_400_000);
    const licenses = new DynamoLicenseAdminStore(env.db, env.resources.tableName);
    // S3 fails (or the sweeper runs out of time) while deleting the guild's objects.
    const failing = { deletePrefix: async () => { throw Object.assign(new Error('S3 is having a moment'), { name: 'ServiceUnavailable' }); } };
    const first = await purgeSweep({ guilds, licenses, archive: failing, telemetry: new RecordingTelemetry(), log }).run(now);
    expect(first).toMatchObject({ done: 0, failed: 1 });
    expect(await a.dataKeyStore.get(guildId)).toBeNull();
    await expect(a.archive.get(guildId, prefix + TRANSCRIPT_HTML)).rejects.toBeInstanceOf(DataKeyGoneError);
    expect(await guilds.get(guildId)).toMatchObject({ status: 'purging' });
    expect(await guilds.duePurges(now, 1000)).toContain(guildId);

    const second = await purgeSweep({ guilds, licenses, archive: a.store, telemetry: new RecordingTelemetry(), log }).run(now + 300_000);
    expect(second.failed).toBe(0);
    expect(await a.store.get(prefix + TRANSCRIPT_HTML)).toBeNull();
    expect(await guilds.get(guildId)).toBeNull();
    expect(await guilds.duePurges(now + 300_000, 1000)).not.toContain(guildId);
  });
});

describe('viewer links', () => {
  const secret = 'test-secret';
  const grant = { guildId: '100000000000000001', number: 42, userId: '200000000000000001', expiresAt: 2_000_000_000 };

  it('verify only unchanged, unexpired tokens signed with the same secret', () => {
    const token = signLink(secret, grant);
    expect(verifyLink(secret, token, 1_999_999_999_000)).toEqual({ ok: true, grant });
    expect(verifyLink(secret, token, 2_000_000_000_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink('other-secret', token, 0)).toEqual({ ok: false, reason: 'invalid' });
    // Naming another user or ticket breaks the MAC.
    expect(verifyLink(secret, token.replace('.42.', '.43.'), 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyLink(secret, token.replace(grant.userId, '200000000000000002'), 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyLink(secret, 'garbage', 0)).toEqual({ ok: false, reason: 'invalid' });
    // The MAC's last character has spare bits: another spelling of the same bytes is still refused.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(Buffer.from(token.slice(-43), 'base64url').equals(Buffer.from(`${token.slice(-43, -1)}${sibling}`, 'base64url'))).toBe(true);
    expect(verifyLink(secret, `${token.slice(0, -1)}${sibling}`, 0)).toEqual({ ok: false, reason: 'invalid' });
  });
});
