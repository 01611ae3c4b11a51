import type { APIChatInputApplicationCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { buildCustomId } from '../../shared/custom-id';
import { ApplicationCommandType, ComponentKind, InteractionContextType, InteractionResponseType, OptionType, TextInputStyle } from '../../shared/discord-constants';
import { LIFT_TIER, MAX_JUSTIFICATION, MAX_PERSONAL, MAX_REASON, MIN_JUSTIFICATION, isOutcome, isTargetKind, tierToWrite, type TargetKind } from '../../shared/enforcement/model';
import { describeLookup, liftEnforcement, lookupEnforcement, parseRelated, requireTargetId } from '../../shared/enforcement/records';
import { StaleActionError, UserError } from '../../shared/errors';
import { ephemeralReply } from '../../shared/interaction-reply';
import { interactionContext } from '../context';
import { countEnforcementRead, requireEnforcementTier } from '../enforce-access';
import { CommandOptions } from '../options';
import type { CommandModule } from '../types';

const target = { type: OptionType.String, name: 'target', description: 'A user or a guild', required: true, choices: [{ name: 'user', value: 'user' }, { name: 'guild', value: 'guild' }] };
const id = { type: OptionType.String, name: 'id', description: 'The Discord id of the user or guild', required: true, min_length: 17, max_length: 20 };

/** Registered to the vendor HQ guild only (see `hqCommandDefinitions`). */
export const enforceDefinition = (): RESTPostAPIApplicationCommandsJSONBody => ({
  name: 'enforce',
  description: 'Vendor enforcement records (HQ staff)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: OptionType.Subcommand,
      name: 'add',
      description: 'Record an enforcement action (a ban refuses the target service)',
      options: [
        target,
        id,
        { type: OptionType.String, name: 'reason', description: 'Why', required: true, min_length: 3, max_length: MAX_REASON },
        { type: OptionType.String, name: 'outcome', description: 'warning: recorded only; ban: refused service until lifted', required: true, choices: [{ name: 'warning', value: 'warning' }, { name: 'ban', value: 'ban' }] },
        { type: OptionType.String, name: 'related', description: 'Related ids: alt accounts, associates, other platforms (elevated+)', max_length: 1000 },
        { type: OptionType.String, name: 'personal', description: 'Expanded personal information, e.g. contact details (sudo)', max_length: MAX_PERSONAL },
      ],
    },
    { type: OptionType.Subcommand, name: 'lift', description: 'Lift the ban in force (elevated+)', options: [target, id, { type: OptionType.String, name: 'reason', description: 'Why it is lifted', max_length: MAX_REASON }] },
    { type: OptionType.Subcommand, name: 'history', description: 'Every action on a target (standard fields)', options: [target, id] },
    { type: OptionType.Subcommand, name: 'lookup', description: 'A target’s records with what your tier may see (sudo asks for a justification)', options: [target, id] },
  ] as never,
});

function targetOf(o: CommandOptions): { kind: TargetKind; targetId: string } {
  const kind = o.string('target') ?? '';
  if (!isTargetKind(kind)) throw new UserError('Choose the target: `user` or `guild`.');
  return { kind, targetId: requireTargetId(o.string('id'), kind) };
}

/**
 * `/enforce add|lift|history|lookup` in the vendor HQ. Tiers come from HQ roles: standard reads
 * and history are answered inline; anything that seals or opens sensitive fields is the worker's
 * (it holds the key); a sudo lookup first asks for a written justification (a modal).
 */
export const enforceCommand: CommandModule<APIChatInputApplicationCommandInteraction> = {
  name: 'enforce',
  async execute(interaction, deps) {
    const o = new CommandOptions(interaction);
    const userId = interaction.member?.user.id ?? interaction.user!.id;
    switch (o.subcommand) {
      case 'add': {
        const related = parseRelated(o.string('related'));
        const personal = o.string('personal')?.trim() || null;
        requireEnforcementTier(interaction, deps, tierToWrite({ related, personal }));
        const outcome = o.string('outcome') ?? '';
        if (!isOutcome(outcome)) throw new UserError('Choose the outcome: `warning` or `ban`.');
        const reason = (o.string('reason') ?? '').trim();
        if (reason.length < 3 || reason.length > MAX_REASON) throw new UserError(`The reason must be 3–${MAX_REASON} characters.`);
        return { defer: { ephemeral: true }, job: { type: 'enforce.run', ctx: interactionContext(interaction), op: { op: 'add', ...targetOf(o), reason, outcome, related, personal } } };
      }
      case 'lift': {
        const { actor } = requireEnforcementTier(interaction, deps, LIFT_TIER);
        const t = targetOf(o);
        await liftEnforcement({ ...t, actor, reason: o.string('reason') }, { enforcement: deps.enforcement, sealer: null, clock: deps.clock });
        return { reply: ephemeralReply(`Lifted: the ${t.kind} \`${t.targetId}\` has Deskwire's service again.`) };
      }
      case 'history':
      case 'lookup': {
        const { tier, actor } = requireEnforcementTier(interaction, deps);
        const t = targetOf(o);
        const mode = o.subcommand;
        if (mode === 'lookup' && tier === 'sudo') {
          // Nothing is read until the justification is written (and audited) — the modal comes first.
          return {
            reply: {
              type: InteractionResponseType.Modal,
              data: {
                custom_id: buildCustomId('enforce-justify', t.kind, t.targetId),
                title: 'Sudo read: justification',
                components: [
                  {
                    type: ComponentKind.Label,
                    label: 'Why do you need the personal information?',
                    component: { type: ComponentKind.TextInput, custom_id: 'justification', style: TextInputStyle.Paragraph, required: true, min_length: MIN_JUSTIFICATION, max_length: MAX_JUSTIFICATION },
                  },
                ] as never,
              },
            },
          };
        }
        await countEnforcementRead(userId, deps);
        if (mode === 'lookup' && tier === 'elevated') {
          return { defer: { ephemeral: true }, job: { type: 'enforce.run', ctx: interactionContext(interaction), op: { op: 'lookup', ...t, tier, justification: null } } };
        }
        const result = await lookupEnforcement({ ...t, tier, actor, justification: null, mode }, { enforcement: deps.enforcement, sealer: null, clock: deps.clock });
        return { reply: ephemeralReply(describeLookup(t.kind, t.targetId, result)) };
      }
      default:
        throw new StaleActionError();
    }
  },
};
