import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoLicenseAdminStore } from '../../lambdas/shared/adapters/dynamo-license-admin-store';
import { hashLicenseKey } from '../../lambdas/shared/licensing/license-key';
import { BusyError, UserError } from '../../lambdas/shared/errors';
import { reportFailure, runOps } from '../../ops/cli';
import { provisionForTest, randomSnowflake } from '../support/aws';

describe('ops CLI: licenses round trip on DynamoDB Local', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let stackFile: string;
  let store: DynamoLicenseAdminStore;
  beforeAll(async () => {
    env = await provisionForTest('ops-license');
    stackFile = join(mkdtempSync(join(tmpdir(), 'dw-ops-license-')), 'stack.json');
    writeFileSync(stackFile, JSON.stringify({ endpoints: env.endpoints, resources: env.resources }));
    store = new DynamoLicenseAdminStore(env.db, env.resources.tableName);
  });
  afterAll(() => env.destroy());

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOps([...argv, '--stack-file', stackFile, '--actor', 'alice'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('issues (key shown once, only its hash stored), lists, shows, extends, suspends, reactivates, moves, revokes — each audited', async () => {
    const issued = await run('license', 'issue', '--tier', 'pro', '--seats', '2', '--days', '30', '--contact', 'buyer@example.com', '--notes', 'annual plan');
    expect(issued.code).toBe(0);
    const key = /key {7}(DW(?:-[0-9A-Z]{5}){5})/.exec(issued.out)![1];
    const id = /^license ([0-9a-f]{12})$/m.exec(issued.out)![1];
    expect(issued.out).toContain('tier      Pro (Tickets, Transcripts, Interactive Support callouts)');
    expect(issued.out).toContain('seats     0 / 2');
    expect(issued.out).toContain('it is shown only once');
    const license = (await store.get(hashLicenseKey(key)))!;
    expect(license).toMatchObject({ id, tier: 'pro', seats: 2, status: 'active', contact: 'buyer@example.com', notes: 'annual plan' });
    // The key itself is nowhere in the table.
    const raw = await env.db.send(new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `LICENSE#${license.keyHash}` } }));
    expect(JSON.stringify(raw.Items)).not.toContain(key.replace(/-/g, '').slice(2, 12));

    expect((await run('license', 'list')).out).toMatch(new RegExp(`${id}  pro +active +seats 0/2  expires .* buyer@example.com`));

    const [g1, g2] = [randomSnowflake(), randomSnowflake()];
    await store.activate({ keyHash: license.keyHash, guildId: g1, actor: 'discord:1', now: Date.now(), replaceable: () => false });
    expect((await run('license', 'show', key.toLowerCase())).out).toContain(`guilds    ${g1} (since`);

    const extended = await run('license', 'extend', id, '--days', '10');
    expect(extended.code).toBe(0);
    expect((await store.get(license.keyHash))!.expiresAt).toBe(license.expiresAt + 10 * 86_400_000);
    expect((await store.guildBinding(g1))!.expiresAt).toBe(license.expiresAt + 10 * 86_400_000);

    expect((await run('license', 'suspend', id, '--reason', 'unpaid invoice')).out).toBe(`Suspended license ${id}: its 1 guild(s) are gated until \`license reactivate ${id}\`.`);
    expect(await store.guildBinding(g1)).toMatchObject({ status: 'suspended' });
    expect((await run('license', 'reactivate', id)).out).toBe(`Reactivated license ${id}: status active.`);
    expect(await store.guildBinding(g1)).toMatchObject({ status: 'active' });

    expect((await run('license', 'move', id, '--from', g1, '--to', g2)).out).toBe(`Moved a seat of license ${id} from guild ${g1} to guild ${g2} (1 / 2 seats used).`);
    expect(await store.guildBinding(g1)).toBeNull();
    expect(await store.guildBinding(g2)).toMatchObject({ keyHash: license.keyHash, tier: 'pro' });
    expect((await store.boundGuilds(license.keyHash)).map((g) => g.guildId)).toEqual([g2]);

    expect((await run('license', 'revoke', id, '--reason', 'refund')).code).toBe(0);
    expect(await store.guildBinding(g2)).toMatchObject({ status: 'revoked' });
    expect((await run('license', 'show', id)).out).toContain('status    revoked');

    const month = new Date().toISOString().slice(0, 7);
    const audit = await env.db.send(
      new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', FilterExpression: 'target = :t', ExpressionAttributeValues: { ':pk': `AUDIT#${month}`, ':t': `license:${id}` } }),
    );
    const byOps = (audit.Items ?? []).filter((i) => i.actor === 'ops:alice').map((i) => i.action);
    expect(byOps.sort()).toEqual(['license.extend', 'license.issue', 'license.move', 'license.reactivate', 'license.revoke', 'license.suspend']);
    expect((audit.Items ?? []).find((i) => i.action === 'license.suspend')).toMatchObject({ detail: { reason: 'unpaid invoice' }, at: expect.any(Number) });
  });

  it('prints a clear error and exits 2 on bad input', async () => {
    const { key } = await run('license', 'issue', '--tier', 'standard', '--seats', '1', '--days', '1', '--contact', 'x').then((r) => ({ key: /key {7}(\S+)/.exec(r.out)![1] }));
    const cases: Array<[string[], string]> = [
      [['license', 'issue', '--tier', 'gold', '--seats', '1', '--days', '1', '--contact', 'x'], '--tier must be one of standard, pro, enterprise.'],
      [['license', 'issue', '--tier', 'pro', '--days', '1', '--contact', 'x'], '--seats is required.'],
      [['license', 'issue', '--tier', 'pro', '--seats', '0', '--days', '1', '--contact', 'x'], '--seats must be a whole number from 1 to 50.'],
      [['license', 'issue', '--tier', 'pro', '--seats', '2', '--days', 'soon', '--contact', 'x'], '--days must be a whole number.'],
      [['license', 'issue', '--tier', 'pro', '--seats', '2', '--days', '5'], '--contact is required'],
      [['license', 'show', key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')], 'is neither a license id (12 hex characters) nor a valid key — check it for typos.'],
      [['license', 'show', 'abcdefabcdef'], 'No license abcdefabcdef.'],
      [['license', 'show'], 'Name the license: `license show <id|key>`.'],
      [['license', 'extend', key, '--days', '0'], '--days must be a whole number from 1 to 3650.'], [['license', 'extend', key, '--days', '-3'], "Option '--days' argument is ambiguous"],
      [['license', 'move', key, '--from', '123', '--to', randomSnowflake()], '--from must be a guild id'],
      [['license', 'move', key, '--from', randomSnowflake(), '--to', randomSnowflake()], 'does not use license'],
      [['license', 'frobnicate'], 'Unknown license command: frobnicate.'],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 2, err: expect.stringContaining(message) });
    }
  });

  it('exits 1, not 2, when the input was fine but the command could not be done (busy items, an unreachable table)', async () => {
    const issued = await run('license', 'issue', '--tier', 'pro', '--seats', '1', '--days', '5', '--contact', 'x');
    const id = /^license ([0-9a-f]{12})$/m.exec(issued.out)![1];
    const otherStack = join(mkdtempSync(join(tmpdir(), 'dw-ops-license-')), 'stack.json');
    writeFileSync(otherStack, JSON.stringify({ endpoints: env.endpoints, resources: { ...env.resources, tableName: `${env.resources.tableName}-missing` } }));
    const errs: string[] = [];
    const code = await runOps(['license', 'extend', id, '--days', '3', '--stack-file', otherStack, '--actor', 'alice'], { out: () => undefined, err: (l) => errs.push(l), env: {} });
    expect(code).toBe(1);
    expect(errs.join('\n')).toMatch(/^Failed: .*non-existent table.*\. Nothing is known to have changed; check the target \(TABLE_NAME, credentials, --stack-file\) and run it again\.$/);

    const busy: string[] = [];
    expect(reportFailure(new BusyError(), { err: (l) => busy.push(l) })).toBe(1);
    expect(busy).toEqual(['Not done: the license changed under this command several times in a row (activations or other changes at the same moment). Nothing was changed; run it again.']);
    expect(reportFailure(new UserError('--seats is required.'), { err: () => undefined })).toBe(2);
  });
});
