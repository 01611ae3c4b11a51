import type * as z from 'zod/mini';
import type { PanelPublishJob } from '../../shared/contracts/work-job';
import { isUserError, UserError } from '../../shared/errors';
import { describePublish, publishPanel } from '../../shared/tickets/publish-panel';
import { runInteractionJob } from '../interaction-job';
import type { WorkerDeps } from '../types';

/**
 * `panel.publish` → posts or re-renders each panel, then edits the admin's deferred reply with the
 * outcome of each. A new panel that cannot be posted is removed again (nothing half-made stays);
 * an existing one keeps its row and the admin is told what to fix.
 */
export function publishPanels(job: z.infer<typeof PanelPublishJob>, attempt: number, deps: WorkerDeps): Promise<void> {
  const removeUnposted = async () => {
    const panel = await deps.panels.getPanel(job.guildId, job.panelIds[0]);
    if (panel && !panel.messageId) await deps.panels.deletePanel(job.guildId, panel.id);
  };
  return runInteractionJob(
    'panel.publish',
    job.ctx,
    attempt,
    deps,
    async () => {
      const lines: string[] = [];
      for (const panelId of job.panelIds) {
        try {
          const result = await publishPanel(job.guildId, panelId, job.moveTo, deps);
          deps.telemetry.capture({ event: 'panel_published', guildId: job.guildId, properties: { action: result.action, kind: result.kind, categories: result.categoryCount } });
          lines.push(describePublish(job.guildId, result));
        } catch (err) {
          if (!isUserError(err)) throw err;
          if (job.created) {
            await removeUnposted();
            throw new UserError(`${err.message} The panel was not created.`);
          }
          // One panel's problem must not hide the others' outcome.
          if (job.panelIds.length === 1 && !job.intro) throw err;
          lines.push(`⚠️ ${err.message}`);
        }
      }
      return { content: [job.intro, ...lines].filter(Boolean).join('\n').slice(0, 2000) };
    },
    { onGiveUp: job.created ? removeUnposted : undefined },
  );
}
