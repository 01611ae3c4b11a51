import type * as z from 'zod/mini';
import type { EnforceJob } from '../../shared/contracts/work-job';
import { addEnforcement, describeLookup, lookupEnforcement } from '../../shared/enforcement/records';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `/enforce add` and the elevated / sudo `/enforce lookup`: the worker holds the key that seals and
 * opens sensitive fields. A lookup writes its audit entry (a sudo read's justification with it)
 * before it reads anything.
 */
export function enforceRun(job: z.infer<typeof EnforceJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  const actor = `discord:${job.ctx.userId}`;
  return runInteractionJob('enforce.run', job.ctx, attempt, deps, async () => {
    const { op } = job;
    if (op.op === 'add') {
      const action = await addEnforcement({ ...op, actor }, deps);
      const effect =
        action.outcome === 'ban'
          ? op.kind === 'user'
            ? 'They cannot open tickets or call out in any server until it is lifted.'
            : 'Every Deskwire command there is refused, and the bot leaves it if it is added again, until it is lifted.'
          : 'A warning changes nothing for the target.';
      return { content: `Recorded: ${action.outcome} on ${op.kind} \`${op.targetId}\`. ${effect}` };
    }
    const result = await lookupEnforcement({ kind: op.kind, targetId: op.targetId, tier: op.tier, actor, justification: op.justification, mode: 'lookup' }, deps);
    return { content: describeLookup(op.kind, op.targetId, result) };
  });
}
