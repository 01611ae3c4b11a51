import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import { InteractionType } from '../shared/discord-constants';
import type { WorkJob } from '../shared/contracts/work-job';
import { parseCustomId } from '../shared/custom-id';
import { StaleActionError } from '../shared/errors';
import { deferredReply } from '../shared/interaction-reply';
import { ACTIONS } from './actions';
import { COMMANDS } from './commands';
import type { InteractionDeps, Outcome } from './types';

/**
 * Routes an interaction to its command or action module and turns the outcome into the HTTP
 * reply: inline, or deferred after the job is on the work queue (DESIGN §2). Throws typed errors;
 * the handler maps them.
 */
export async function routeInteraction(interaction: APIInteraction, deps: InteractionDeps): Promise<APIInteractionResponse> {
  const outcome = await dispatch(interaction, deps);
  if ('reply' in outcome) return outcome.reply;
  const { job } = outcome;
  // The worker must know an update deferral (type 6) to answer it the right way (see `InteractionContext`).
  await deps.workQueue.enqueue(outcome.defer.update && 'ctx' in job ? ({ ...job, ctx: { ...job.ctx, deferredUpdate: true } } as WorkJob) : job);
  return deferredReply(outcome.defer);
}

function dispatch(interaction: APIInteraction, deps: InteractionDeps): Promise<Outcome> | Outcome {
  switch (interaction.type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete: {
      const command = COMMANDS.get(interaction.data.name);
      if (!command) throw new StaleActionError();
      return command.execute(interaction as never, deps);
    }
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit: {
      const id = parseCustomId(interaction.data.custom_id);
      const action = id && ACTIONS.get(id.action);
      if (!id || !action) throw new StaleActionError();
      return action.execute(interaction as never, id.args, deps);
    }
    default:
      throw new StaleActionError();
  }
}
