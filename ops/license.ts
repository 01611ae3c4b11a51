import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLicenseAdminStore } from '../lambdas/shared/adapters/dynamo-license-admin-store';
import { DAY_MS, systemClock } from '../lambdas/shared/clock';
import { CommonConfig, parseConfig } from '../lambdas/shared/config';
import { UserError } from '../lambdas/shared/errors';
import { extendLicense, findLicense, issueLicense, moveSeat, parseTier, reactivateLicense, revokeLicense, suspendLicense, type LicenseAdminDeps } from '../lambdas/shared/licensing/admin';
import { FEATURE_NAMES, featuresOf, TIER_NAMES } from '../lambdas/shared/licensing/features';
import { graceMsFromDays, type License } from '../lambdas/shared/licensing/model';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/aws/provision';
import * as z from 'zod/mini';

export const LICENSE_USAGE = `  license issue --tier <standard|pro|enterprise> --seats N --days D --contact <who> [--notes <text>]
                                  issue a license; its key is printed once (only its hash is stored)
  license list                    every license: id, tier, status, seats, expiry, contact
  license show <id|key>           one license and the guilds using it
  license extend <id|key> --days D
                                  add days to the expiry (from today if already expired); lifts gating at once
  license suspend <id|key> [--reason <text>]   pause a license (its guilds are gated)
  license reactivate <id|key>     lift a suspension
  license revoke <id|key> [--reason <text>]    end a license for good
  license move <id|key> --from <guild id> --to <guild id>
                                  move a seat from one guild to another
  Every change writes an audit entry; --actor <name> names you (default: your OS user).`;

export interface LicenseCliOptions {
  tier?: string;
  seats?: string;
  days?: string;
  contact?: string;
  notes?: string;
  reason?: string;
  from?: string;
  to?: string;
  actor?: string;
}

/** The table: the local stack's (stack file) or TABLE_NAME in AWS_REGION with your credentials. */
export function licenseTarget(local: { endpoints: { dynamodb: string }; resources: { tableName: string } } | null, env: Record<string, string | undefined>) {
  const graceDays = parseConfig(z.pick(CommonConfig, { LICENSE_GRACE_DAYS: true }), env).LICENSE_GRACE_DAYS;
  if (local) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: local.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), { marshallOptions: { removeUndefinedValues: true } });
    return { db, tableName: local.resources.tableName, graceDays };
  }
  if (!env.TABLE_NAME) throw new UserError('Set TABLE_NAME (the stateful stack\'s table), or pass --stack-file for a local stack.');
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: env.AWS_REGION }), { marshallOptions: { removeUndefinedValues: true } });
  return { db, tableName: env.TABLE_NAME, graceDays };
}

const date = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
const int = (flag: string, value: string | undefined) => {
  if (value === undefined) throw new UserError(`${flag} is required.`);
  if (!/^\d+$/.test(value)) throw new UserError(`${flag} must be a whole number.`);
  return Number(value);
};

function describe(l: License, now: number, graceDays: number): string {
  const state =
    l.status === 'active' && now >= l.expiresAt ? 'active (expiry due)' : l.status === 'expired' && now < l.expiresAt + graceMsFromDays(graceDays) ? `expired, in grace until ${date(l.expiresAt + graceMsFromDays(graceDays))}` : l.status;
  return [
    `license ${l.id}`,
    `  tier      ${TIER_NAMES[l.tier]} (${featuresOf(l.tier).map((f) => FEATURE_NAMES[f]).join(', ')})`,
    `  status    ${state}`,
    `  seats     ${l.seatsUsed} / ${l.seats}`,
    `  issued    ${date(l.issuedAt)}`,
    `  expires   ${date(l.expiresAt)} (${Math.round((l.expiresAt - now) / DAY_MS)} days)`,
    `  contact   ${l.contact}`,
    ...(l.notes ? [`  notes     ${l.notes}`] : []),
  ].join('\n');
}

/** `license <command> …`; returns the exit code. Failures are thrown and reported by the caller (`reportFailure`). */
export async function runLicenseCommand(
  command: string | undefined,
  args: string[],
  opts: LicenseCliOptions,
  target: ReturnType<typeof licenseTarget>,
  io: { out(line: string): void; env: Record<string, string | undefined> },
): Promise<number> {
  const actor = `ops:${opts.actor ?? io.env.USER ?? safeUser()}`;
  const deps: LicenseAdminDeps = { licenses: new DynamoLicenseAdminStore(target.db, target.tableName), clock: systemClock, graceMs: graceMsFromDays(target.graceDays) };
  const now = deps.clock.now();
  const ref = () => {
    if (!args[0]) throw new UserError(`Name the license: \`license ${command} <id|key>\`.`);
    return args[0];
  };
  switch (command) {
    case 'issue': {
      const { key, license } = await issueLicense(
        { tier: parseTier(opts.tier), seats: int('--seats', opts.seats), days: int('--days', opts.days), contact: opts.contact ?? '', notes: opts.notes ?? null, actor },
        deps,
      );
      io.out(describe(license, now, target.graceDays));
      io.out('');
      io.out(`  key       ${key}`);
      io.out('');
      io.out('Give this key to the license holder now: it is shown only once (Deskwire stores only its hash).');
      io.out(`A server admin activates a server with: /license activate key:${key}`);
      return 0;
    }
    case 'list': {
      const licenses = await deps.licenses.list();
      if (!licenses.length) io.out('No licenses yet. Issue one with `license issue`.');
      for (const l of licenses) io.out(`${l.id}  ${l.tier.padEnd(10)} ${l.status.padEnd(9)} seats ${l.seatsUsed}/${l.seats}  expires ${date(l.expiresAt)}  ${l.contact}`);
      return 0;
    }
    case 'show': {
      const license = await findLicense(ref(), deps);
      io.out(describe(license, now, target.graceDays));
      const guilds = await deps.licenses.boundGuilds(license.keyHash);
      io.out(`  guilds    ${guilds.length ? guilds.map((g) => `${g.guildId} (since ${date(g.activatedAt)})`).join(', ') : 'none'}`);
      return 0;
    }
    case 'extend': {
      const license = await extendLicense(ref(), int('--days', opts.days), actor, deps);
      io.out(`Extended license ${license.id}: now expires ${date(license.expiresAt)}; status ${license.status}.`);
      return 0;
    }
    case 'suspend': {
      const license = await suspendLicense(ref(), opts.reason ?? null, actor, deps);
      io.out(`Suspended license ${license.id}: its ${license.seatsUsed} guild(s) are gated until \`license reactivate ${license.id}\`.`);
      return 0;
    }
    case 'reactivate': {
      const license = await reactivateLicense(ref(), actor, deps);
      io.out(`Reactivated license ${license.id}: status ${license.status}.`);
      return 0;
    }
    case 'revoke': {
      const license = await revokeLicense(ref(), opts.reason ?? null, actor, deps);
      io.out(`Revoked license ${license.id}. Its ${license.seatsUsed} guild(s) are gated; they can activate another key.`);
      return 0;
    }
    case 'move': {
      const license = await moveSeat(ref(), opts.from ?? '', opts.to ?? '', actor, deps);
      io.out(`Moved a seat of license ${license.id} from guild ${opts.from} to guild ${opts.to} (${license.seatsUsed} / ${license.seats} seats used).`);
      return 0;
    }
    default:
      throw new UserError(`Unknown license command: ${command ?? '(none)'}.`);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
