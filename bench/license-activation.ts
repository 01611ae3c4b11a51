/**
 * `/license activate` cost on the 3-second path: the use case against DynamoDB Local, sequential,
 * for the three answers members get — activated, a wrong key (its attempt kept), and paused (at the
 * limit: no lookup). Capacity units are DynamoDB's own figures, per attempt.
 */
import { performance } from 'node:perf_hooks';
import { DynamoAttemptLimiter } from '../lambdas/shared/adapters/dynamo-attempt-limiter';
import { DynamoLicenseAdminStore } from '../lambdas/shared/adapters/dynamo-license-admin-store';
import { DAY_MS } from '../lambdas/shared/clock';
import { ACTIVATION_ATTEMPTS, activateLicense, type LicensingDeps } from '../lambdas/shared/licensing/activation';
import { issueLicense } from '../lambdas/shared/licensing/admin';
import { LicenseEntitlements } from '../lambdas/shared/licensing/entitlements';
import { generateLicenseKey } from '../lambdas/shared/licensing/license-key';
import { MAX_SEATS } from '../lambdas/shared/licensing/model';
import { startDynamoDbLocal } from '../local/aws/dynamodb-local';
import { startSqsS3Emulator } from '../local/aws/fauxqs';
import { provisionLocalResources } from '../local/aws/provision';
import { meteredDocumentClient } from './licensing';

export interface ActivationCase {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  readUnits: number;
  writeUnits: number;
}

const snowflake = (i: number) => `1${String(i).padStart(17, '0')}`;

export async function licenseActivationBench(n = 200): Promise<Record<'activated' | 'wrongKey' | 'paused', ActivationCase>> {
  const [ddb, sqsS3] = await Promise.all([startDynamoDbLocal(), startSqsS3Emulator()]);
  const { db, meter } = meteredDocumentClient(ddb.endpoint);
  try {
    const resources = await provisionLocalResources({ dynamodb: ddb.endpoint, sqsS3: sqsS3.endpoint }, { prefix: 'bench-activate' });
    const clock = { now: () => Date.now() };
    const store = new DynamoLicenseAdminStore(db, resources.tableName);
    const deps: LicensingDeps = {
      licenses: store,
      entitlements: new LicenseEntitlements(store, clock, 3 * DAY_MS),
      attempts: new DynamoAttemptLimiter(db, resources.tableName),
      workQueue: { enqueue: async () => undefined },
      clock,
      log: { warn: () => undefined },
    };
    const keys = await Promise.all(
      Array.from({ length: Math.ceil(n / MAX_SEATS) }, () => issueLicense({ tier: 'pro', seats: MAX_SEATS, days: 30, contact: 'bench', actor: 'ops:bench' }, { licenses: store, clock, graceMs: 3 * DAY_MS })),
    );
    const measure = async (count: number, attempt: (i: number) => Promise<unknown>): Promise<ActivationCase> => {
      const times: number[] = [];
      Object.assign(meter, { itemsRead: 0, readUnits: 0, writeUnits: 0 });
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await attempt(i).catch(() => undefined);
        times.push(performance.now() - started);
      }
      const s = times.sort((a, b) => a - b);
      const pct = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
      return { n: count, p50: pct(50), p95: pct(95), p99: pct(99), max: s[s.length - 1], readUnits: meter.readUnits / count, writeUnits: meter.writeUnits / count };
    };
    const limit = ACTIVATION_ATTEMPTS.limits.user;
    const activated = await measure(n, (i) => activateLicense({ guildId: snowflake(i), userId: snowflake(1e6 + i), key: keys[Math.floor(i / MAX_SEATS)].key }, deps));
    // A fresh member and guild every `limit` attempts, so each wrong key is looked up and counted.
    const wrongKey = await measure(n, (i) => activateLicense({ guildId: snowflake(2e6 + Math.floor(i / limit)), userId: snowflake(3e6 + Math.floor(i / limit)), key: generateLicenseKey() }, deps));
    // The members above are all at their limit now.
    const paused = await measure(n, (i) => activateLicense({ guildId: snowflake(2e6 + (i % (n / limit))), userId: snowflake(3e6 + (i % (n / limit))), key: generateLicenseKey() }, deps));
    return { activated, wrongKey, paused };
  } finally {
    db.destroy();
    await Promise.all([ddb.stop(), sqsS3.stop()]);
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The section of docs/BENCHMARKS.md. */
export function licenseActivationLines(f: Awaited<ReturnType<typeof licenseActivationBench>>): string[] {
  const row = (name: string, c: ActivationCase) => `| ${name} | ${c.n} | ${ms(c.p50)} | ${ms(c.p95)} | ${ms(c.p99)} | ${ms(c.max)} | ${c.readUnits.toFixed(1)} | ${c.writeUnits.toFixed(1)} |`;
  return [
    '## `/license activate` (use case on DynamoDB Local)',
    '',
    'Sequential attempts, the answer computed (no HTTP, no signature). A lookup first reserves the attempt',
    '(conditional `ADD`, member then guild), reads the license, the guild\'s activation and the license-side link',
    '(consistent), writes one transaction; anything but a wrong key gives the attempt back. Capacity units',
    'are DynamoDB\'s own figures, per attempt. Target: well inside the 3-second deadline (p99 of tens of ms).',
    '',
    '| answer | n | p50 | p95 | p99 | max | read units | write units |',
    '|---|---|---|---|---|---|---|---|',
    row('activated', f.activated),
    row('wrong key (counted)', f.wrongKey),
    row('paused (at the limit, no lookup)', f.paused),
    '',
  ];
}

if (require.main === module) {
  licenseActivationBench(Number(process.env.BENCH_ACTIVATIONS ?? 200)).then(
    (f) => console.log(licenseActivationLines(f).join('\n')),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
