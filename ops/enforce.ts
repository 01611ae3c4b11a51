import { userInfo } from 'node:os';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCalloutStore } from '../lambdas/shared/adapters/dynamo-callout-store';
import { DynamoEnforcementStore } from '../lambdas/shared/adapters/dynamo-enforcement-store';
import { STATUS_LABELS } from '../lambdas/shared/callouts/model';
import { systemClock } from '../lambdas/shared/clock';
import { isAccessTier, isOutcome, isTargetKind, LIFT_TIER, tierRank, tierToWrite, type AccessTier, type TargetKind } from '../lambdas/shared/enforcement/model';
import { addEnforcement, describeLookup, liftEnforcement, lookupEnforcement, parseRelated, type EnforcementDeps } from '../lambdas/shared/enforcement/records';
import { ENFORCEMENT_KEY_PATTERN, Sealer } from '../lambdas/shared/enforcement/seal';
import { UserError } from '../lambdas/shared/errors';

export const ENFORCE_USAGE = `  enforce add <user|guild> <id> --reason <text> --outcome <warning|ban> --tier <t> [--related <ids>] [--personal <text>]
                                  record an action (related ids need elevated, personal information sudo)
  enforce lift <user|guild> <id> --tier <elevated|sudo> [--reason <text>]
                                  lift the ban in force
  enforce history <user|guild> <id> --tier <t>
                                  every action, standard fields
  enforce lookup <user|guild> <id> --tier <standard|elevated|sudo> [--justification <text>]
                                  the fields your tier may see; sudo needs --justification (audited first)
  callouts list [--open]          callouts, newest first (--open: only those not resolved or expired)
  Enforcement commands are audited; sensitive fields need ENFORCEMENT_KEY (base64, 32 bytes).`;

export interface EnforceCliOptions {
  tier?: string;
  actor?: string;
  reason?: string;
  outcome?: string;
  related?: string;
  personal?: string;
  justification?: string;
  open?: boolean;
}

const safeUser = () => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

function sealerFrom(env: Record<string, string | undefined>): Sealer | null {
  const key = env.ENFORCEMENT_KEY;
  if (!key) return null;
  if (!ENFORCEMENT_KEY_PATTERN.test(key)) throw new UserError('ENFORCEMENT_KEY must be base64 of 32 bytes (openssl rand -base64 32).');
  return Sealer.fromBase64(key);
}

function requireTier(value: string | undefined, least: AccessTier): AccessTier {
  if (!value || !isAccessTier(value)) throw new UserError('--tier is required: standard, elevated or sudo (the tier you hold).');
  if (tierRank(value) < tierRank(least)) throw new UserError(`This needs ${least} enforcement access or higher; --tier is ${value}.`);
  return value;
}

/**
 * `enforce add|lift|history|lookup`: the same use cases, tiers and audit entries as `/enforce` in
 * the vendor HQ; a sudo lookup needs `--justification`, written to the audit log before the read.
 */
export async function runEnforceCommand(
  command: string | undefined,
  args: string[],
  opts: EnforceCliOptions,
  target: { db: DynamoDBDocumentClient; tableName: string },
  io: { out(line: string): void; env: Record<string, string | undefined> },
): Promise<number> {
  const actor = `ops:${opts.actor ?? io.env.USER ?? safeUser()}`;
  const deps: EnforcementDeps = { enforcement: new DynamoEnforcementStore(target.db, target.tableName), sealer: sealerFrom(io.env), clock: systemClock };
  const [kindArg, targetId] = args;
  const kind = (): TargetKind => {
    if (!kindArg || !isTargetKind(kindArg) || !targetId) throw new UserError(`Name the target: \`enforce ${command} <user|guild> <id>\`.`);
    return kindArg;
  };
  switch (command) {
    case 'add': {
      const related = parseRelated(opts.related);
      const personal = opts.personal?.trim() || null;
      requireTier(opts.tier, tierToWrite({ related, personal }));
      if (!opts.outcome || !isOutcome(opts.outcome)) throw new UserError('--outcome must be warning or ban.');
      const action = await addEnforcement({ kind: kind(), targetId, reason: opts.reason ?? '', outcome: opts.outcome, actor, related, personal }, deps);
      io.out(`Recorded ${action.outcome} on ${action.kind} ${action.targetId} (action ${action.actionId}).`);
      return 0;
    }
    case 'lift': {
      requireTier(opts.tier, LIFT_TIER);
      const lifted = await liftEnforcement({ kind: kind(), targetId, actor, reason: opts.reason ?? null }, deps);
      io.out(`Lifted the ban on ${lifted.kind} ${lifted.targetId}: service restored.`);
      return 0;
    }
    case 'history':
    case 'lookup': {
      const tier = requireTier(opts.tier, 'standard');
      const k = kind();
      const result = await lookupEnforcement({ kind: k, targetId, tier, actor, justification: opts.justification ?? null, mode: command }, deps);
      io.out(describeLookup(k, targetId, result, 'plain'));
      return 0;
    }
    default:
      throw new UserError(`Unknown command: enforce ${command ?? ''}`.trim());
  }
}

const date = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '-');

/** `callouts list [--open]`. */
export async function runCalloutsCommand(command: string | undefined, opts: EnforceCliOptions, target: { db: DynamoDBDocumentClient; tableName: string }, io: { out(line: string): void }): Promise<number> {
  if (command !== 'list') throw new UserError(`Unknown command: callouts ${command ?? ''}`.trim());
  const list = await new DynamoCalloutStore(target.db, target.tableName).list({ openOnly: Boolean(opts.open), limit: 200 });
  if (!list.length) io.out(opts.open ? 'No open callouts.' : 'No callouts yet.');
  for (const c of list) {
    io.out(
      `${date(c.createdAt)}  ${c.calloutId}  guild ${c.guildId}${c.guildName ? ` (${c.guildName})` : ''}  ${STATUS_LABELS[c.status]}` +
        `${c.responderId ? `  responder ${c.responderId}` : ''}${c.closedAt ? `  closed ${date(c.closedAt)}` : ''}\n    ${c.reason}`,
    );
  }
  return 0;
}
