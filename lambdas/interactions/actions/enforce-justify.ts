import type { APIModalSubmitInteraction } from 'discord-api-types/v10';
import { isTargetKind } from '../../shared/enforcement/model';
import { requireJustification, requireTargetId } from '../../shared/enforcement/records';
import { StaleActionError } from '../../shared/errors';
import { interactionContext } from '../context';
import { countEnforcementRead, requireEnforcementTier } from '../enforce-access';
import { submittedValues } from '../opening';
import type { ActionModule } from '../types';

/**
 * The sudo justification: `dw1:enforce-justify:<user|guild>:<id>`. Without a justification nothing
 * is read; with one the worker writes it to the audit log, then opens the sensitive fields.
 */
export const enforceJustifyModal: ActionModule<APIModalSubmitInteraction> = {
  action: 'enforce-justify',
  async execute(interaction, args, deps) {
    const [kind, id] = args;
    if (!kind || !isTargetKind(kind)) throw new StaleActionError();
    const targetId = requireTargetId(id, kind);
    requireEnforcementTier(interaction, deps, 'sudo');
    const justification = requireJustification(submittedValues(interaction.data.components).justification);
    await countEnforcementRead(interaction.member!.user.id, deps);
    return { defer: { ephemeral: true }, job: { type: 'enforce.run', ctx: interactionContext(interaction), op: { op: 'lookup', kind, targetId, tier: 'sudo', justification } } };
  },
};
