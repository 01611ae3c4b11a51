import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import { InteractionType } from '../shared/discord-constants';
import { enforcedGuildMessage } from '../shared/enforcement/model';
import type { WorkJob } from '../shared/contracts/work-job';
import { parseCustomId } from '../shared/custom-id';
import { ForbiddenError, StaleActionError } from '../shared/errors';
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
  const scoped = await withEnforcement(interaction, deps);
  if ('refusal' in scoped) return scoped.refusal;
  const outcome = await dispatch(interaction, scoped);
  if ('reply' in outcome) return outcome.reply;
  const { job } = outcome;
  // The worker must know an update deferral (type 6) to answer it the right way (see `InteractionContext`).
  await deps.workQueue.enqueue(outcome.defer.update && 'ctx' in job ? ({ ...job, ctx: { ...job.ctx, deferredUpdate: true } } as WorkJob) : withPublicDeferral(outcome.defer, job));
  return deferredReply(outcome.defer);
}

/**
 * Enforcement, before anything else: a banned guild is refused every command and component, and
 * the invoking user's ban rides along for the gates that need it (opening tickets, callouts). One
 * BatchGet of two small items per interaction — no per-container cache, so a ban or a lift
 * applies to the very next interaction. The vendor's own HQ guild is never checked.
 */
async function withEnforcement(interaction: APIInteraction, deps: InteractionDeps): Promise<InteractionDeps | { refusal: APIInteractionResponse }> {
  const guildId = interaction.guild_id;
  if (!guildId || guildId === deps.hq?.guildId) return deps;
  const states = await deps.enforcement.states(guildId, interaction.member?.user.id ?? interaction.user?.id ?? null);
  // (An autocomplete gets no choices instead: the handler's error mapping sees to it.)
  if (states.guild) throw new ForbiddenError(enforcedGuildMessage(deps.appeal));
  return states.user ? { ...deps, enforcedUser: states.user } : deps;
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

/** A public deferral's job says so: its failure must not be shown to everyone (see `InteractionContext`). */
const withPublicDeferral = (defer: { ephemeral?: boolean; update?: boolean }, job: WorkJob): WorkJob =>
  defer.ephemeral === false && !defer.update && 'ctx' in job ? ({ ...job, ctx: { ...job.ctx, deferredPublic: true } } as WorkJob) : job;
