import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { queueDepth, replayDeadLetters } from '../lambdas/shared/adapters/sqs-dead-letters';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/aws/provision';
import { BusyError, isUserError } from '../lambdas/shared/errors';
import { ENFORCE_USAGE, runCalloutsCommand, runEnforceCommand } from './enforce';
import { LICENSE_USAGE, licenseTarget, runLicenseCommand } from './license';

export interface OpsIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: npm run ops -- <command>

Commands:
  dlq status                      messages waiting in each queue and its dead-letter queue
  dlq replay <work|events|transcripts> [--max N]
                                  move dead letters back to their queue after a fix
${LICENSE_USAGE}
${ENFORCE_USAGE}

Targets: with --stack-file (default .local/stack.json, written by \`npm start\`) the local stack;
otherwise the queue URLs from the environment (TRANSCRIPTS_QUEUE_URL, TRANSCRIPTS_DLQ_URL, WORK_QUEUE_URL, WORK_DLQ_URL, EVENTS_QUEUE_URL,
EVENTS_DLQ_URL — the stateful stack's outputs) in AWS_REGION with your AWS credentials; license
commands use TABLE_NAME.`;

interface QueueTargets {
  sqs: SQSClient;
  queues: Record<'work' | 'events', { url: string; dlqUrl: string }> & { transcripts?: { url: string; dlqUrl: string } };
}

function targets(stackFile: string | undefined, env: OpsIo['env']): QueueTargets {
  const file = stackFile ?? '.local/stack.json';
  if (stackFile || (existsSync(file) && !env.WORK_QUEUE_URL)) {
    if (!existsSync(file)) throw new UsageError(`No stack file at ${file}. Start the local stack with \`npm start\` first.`);
    const local = JSON.parse(readFileSync(file, 'utf8')) as { endpoints: { sqsS3: string }; resources: { queues: QueueTargets['queues'] } };
    return { sqs: new SQSClient({ endpoint: local.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), queues: local.resources.queues };
  }
  const need = ['WORK_QUEUE_URL', 'WORK_DLQ_URL', 'EVENTS_QUEUE_URL', 'EVENTS_DLQ_URL'].filter((k) => !env[k]);
  if (need.length) throw new UsageError(`Set ${need.join(', ')} (from the stateful stack's outputs), or pass --stack-file for a local stack.`);
  return {
    sqs: new SQSClient({ region: env.AWS_REGION }),
    queues: {
      work: { url: env.WORK_QUEUE_URL!, dlqUrl: env.WORK_DLQ_URL! },
      events: { url: env.EVENTS_QUEUE_URL!, dlqUrl: env.EVENTS_DLQ_URL! },
      ...(env.TRANSCRIPTS_QUEUE_URL && env.TRANSCRIPTS_DLQ_URL ? { transcripts: { url: env.TRANSCRIPTS_QUEUE_URL, dlqUrl: env.TRANSCRIPTS_DLQ_URL } } : {}),
    },
  };
}

class UsageError extends Error {}

/** The local stack file, when it is the target (as for the queue commands). */
function localStack(stackFile: string | undefined, env: OpsIo['env'], remoteVar: string): { endpoints: { dynamodb: string }; resources: { tableName: string } } | null {
  const file = stackFile ?? '.local/stack.json';
  if (!stackFile && (!existsSync(file) || env[remoteVar])) return null;
  if (!existsSync(file)) throw new UsageError(`No stack file at ${file}. Start the local stack with \`npm start\` first.`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Runs one CLI command; returns the exit code. */
export async function runOps(argv: string[], io: OpsIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        max: { type: 'string' },
        'stack-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        // license commands
        tier: { type: 'string' },
        seats: { type: 'string' },
        days: { type: 'string' },
        contact: { type: 'string' },
        notes: { type: 'string' },
        reason: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        actor: { type: 'string' },
        // enforcement and callout commands
        outcome: { type: 'string' },
        related: { type: 'string' },
        personal: { type: 'string' },
        justification: { type: 'string' },
        open: { type: 'boolean' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [group, command, arg] = parsed.positionals;
  if (parsed.values.help || !group) {
    io.out(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  try {
    if (group === 'dlq' && command === 'status') {
      const t = targets(parsed.values['stack-file'], io.env);
      try {
        for (const [name, q] of Object.entries(t.queues)) {
          io.out(`${name.padEnd(7)} queue ${await queueDepth(t.sqs, q.url)}  dead letters ${await queueDepth(t.sqs, q.dlqUrl)}`);
        }
      } finally {
        t.sqs.destroy();
      }
      return 0;
    }
    if (group === 'dlq' && command === 'replay') {
      if (arg !== 'work' && arg !== 'events' && arg !== 'transcripts') throw new UsageError('Name the queue to replay: `dlq replay work`, `dlq replay events` or `dlq replay transcripts`.');
      const max = parsed.values.max === undefined ? undefined : Number(parsed.values.max);
      if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new UsageError('--max must be a positive whole number.');
      const t = targets(parsed.values['stack-file'], io.env);
      try {
        const q = t.queues[arg];
        if (!q) throw new UsageError('Set TRANSCRIPTS_QUEUE_URL and TRANSCRIPTS_DLQ_URL (from the stateful stack), or pass --stack-file for a local stack.');
        const result = await replayDeadLetters(t.sqs, { dlqUrl: q.dlqUrl, sourceUrl: q.url, max });
        io.out(`Replayed ${result.moved} message(s) from the ${arg} dead-letter queue${result.failed ? `; ${result.failed} could not be re-sent and stay there` : ''}.`);
        return result.failed ? 1 : 0;
      } finally {
        t.sqs.destroy();
      }
    }
    if (group === 'license') {
      const target = licenseTarget(localStack(parsed.values['stack-file'], io.env, 'TABLE_NAME'), io.env);
      try {
        return await runLicenseCommand(command, parsed.positionals.slice(2), parsed.values, target, io);
      } finally {
        target.db.destroy();
      }
    }
    if (group === 'enforce' || group === 'callouts') {
      const target = licenseTarget(localStack(parsed.values['stack-file'], io.env, 'TABLE_NAME'), io.env);
      try {
        return group === 'enforce'
          ? await runEnforceCommand(command, parsed.positionals.slice(2), parsed.values, target, io)
          : await runCalloutsCommand(command, parsed.values, target, io);
      } finally {
        target.db.destroy();
      }
    }
    throw new UsageError(`Unknown command: ${[group, command].filter(Boolean).join(' ')}`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    return reportFailure(err, io);
  }
}

/**
 * The exit code and message of a failed command: bad input (a typo'd key, an unknown id, a missing
 * flag) exits 2 with what to fix; a transient or unexpected failure (items busy, the table out of
 * reach) exits 1 and says so — the input was fine and the command can simply be run again.
 */
export function reportFailure(err: unknown, io: Pick<OpsIo, 'err'>): 1 | 2 {
  if (err instanceof BusyError) {
    io.err(`Not done: the license changed under this command several times in a row (activations or other changes at the same moment). Nothing was changed; run it again.`);
    return 1;
  }
  if (isUserError(err)) {
    io.err(err.message);
    return 2;
  }
  io.err(`Failed: ${err instanceof Error ? err.message : String(err)}. Nothing is known to have changed; check the target (TABLE_NAME, credentials, --stack-file) and run it again.`);
  return 1;
}
