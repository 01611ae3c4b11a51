import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { WorkJob } from '../shared/contracts/work-job';
import { safeError } from '../shared/safe-error';
import { processSqsBatch, receiveCount } from '../shared/sqs-batch';
import { deletePanelMessage } from './jobs/panel-delete';
import { publishPanels } from './jobs/panel-publish';
import { statusReport } from './jobs/status-report';
import { openTicket } from './jobs/ticket-open';
import { repairStuckTicket } from './jobs/ticket-repair';
import { archiveTicket } from './jobs/ticket-archive';
import { autoCloseTicket } from './jobs/ticket-auto-close';
import { closeTicket } from './jobs/ticket-close';
import { finishGatewayClose } from './jobs/ticket-finish-close';
import { flagOpenerLeft } from './jobs/ticket-opener-left';
import { reopenTicket } from './jobs/ticket-reopen';
import { rescheduleTickets } from './jobs/ticket-reschedule';
import { updateTicket } from './jobs/ticket-update';
import { transcriptBuild } from './jobs/transcript-build';
import { transcriptLink } from './jobs/transcript-link';
import { transcriptRated } from './jobs/transcript-rated';
import { forwardTelemetry } from './jobs/telemetry';
import { licenseNotice } from './jobs/license-notice';
import { calloutClose, calloutEscalate, calloutOpen, calloutResponded } from './jobs/callouts';
import { enforceRun } from './jobs/enforce-run';
import { guildLeave } from './jobs/guild-leave';
import type { WorkerDeps } from './types';

/** Parses one work-queue message and runs its job. A body that breaks the contract throws (→ retries → DLQ). */
export async function processWorkRecord(record: SQSRecord, deps: WorkerDeps): Promise<void> {
  const job = WorkJob.parse(JSON.parse(record.body));
  const attempt = receiveCount(record);
  switch (job.type) {
    case 'status.report':
      return statusReport(job, attempt, deps);
    case 'ticket.repair':
      return repairStuckTicket(job, deps);
    case 'ticket.open':
      return openTicket(job, attempt, deps);
    case 'telemetry.capture':
      return forwardTelemetry(job, deps);
    case 'panel.publish':
      return publishPanels(job, attempt, deps);
    case 'panel.delete':
      return deletePanelMessage(job, attempt, deps);
    case 'ticket.update':
      return updateTicket(job, attempt, deps);
    case 'ticket.close':
      return closeTicket(job, attempt, deps);
    case 'ticket.reopen':
      return reopenTicket(job, attempt, deps);
    case 'ticket.auto-close':
      return autoCloseTicket(job, deps);
    case 'ticket.archive':
      return archiveTicket(job, attempt, deps);
    case 'tickets.reschedule':
      return rescheduleTickets(job, deps);
    case 'transcript.build':
      return transcriptBuild(job, attempt, deps);
    case 'ticket.finish-close':
      return finishGatewayClose(job, deps);
    case 'ticket.opener-left':
      return flagOpenerLeft(job, deps);
    case 'license.notice':
      return licenseNotice(job, deps);
    case 'transcript.link':
      return transcriptLink(job, attempt, deps);
    case 'transcript.rated':
      return transcriptRated(job, deps);
    case 'callout.open':
      return calloutOpen(job, attempt, deps);
    case 'callout.responded':
      return calloutResponded(job, deps);
    case 'callout.escalate':
      return calloutEscalate(job, deps);
    case 'callout.close':
      return calloutClose(job, deps);
    case 'enforce.run':
      return enforceRun(job, attempt, deps);
    case 'guild.leave':
      return guildLeave(job, deps);
  }
}

/** The worker λ: a work-queue batch with partial failures, then one telemetry flush. */
export async function handleWorkBatch(event: SQSEvent, context: Context, deps: WorkerDeps): Promise<SQSBatchResponse> {
  try {
    return await processSqsBatch(event, context, (r) => processWorkRecord(r, deps), {
      fifo: false,
      retries: deps.retries,
      onError: (r, err) => deps.log.warn('work message failed; it will be retried', { messageId: r.messageId, attempt: receiveCount(r), error: safeError(err) }),
    });
  } finally {
    await deps.telemetry.flush().catch((err) => deps.log.warn('telemetry flush failed', { error: safeError(err) }));
  }
}
