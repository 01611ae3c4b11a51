import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import { buildCustomId } from '../shared/custom-id';
import { ComponentKind, InteractionResponseType, MessageFlags, TextInputStyle } from '../shared/discord-constants';
import { UserError } from '../shared/errors';
import { componentEmoji } from '../shared/tickets/categories';
import type { Category } from '../shared/tickets/model';
import { requestTicket } from '../shared/tickets/request-ticket';
import { interactionContext } from './context';
import type { InteractionDeps, Outcome } from './types';

/**
 * Every way of opening a ticket (panel button or select, `/ticket open`, the message context menu,
 * the form's modal) ends here: ask for a category, show the form, or reserve and defer.
 */
export async function openTicketFrom(
  interaction: APIInteraction,
  input: { categoryId: string | null; answers: Record<string, string> | null; aboutMessageUrl: string | null },
  deps: InteractionDeps,
): Promise<Outcome> {
  if (!interaction.guild_id) throw new UserError('Tickets can only be opened inside a server.');
  const openerId = interaction.member?.user.id ?? interaction.user!.id;
  const outcome = await requestTicket({ guildId: interaction.guild_id, openerId, ...input }, deps);
  switch (outcome.kind) {
    case 'choose_category':
      return { reply: chooseCategoryReply(outcome.categories, input.aboutMessageUrl) };
    case 'form':
      return { reply: formModal(outcome.category, input.aboutMessageUrl) };
    case 'reserved':
      return {
        defer: { ephemeral: true },
        job: { type: 'ticket.open', ctx: interactionContext(interaction), guildId: interaction.guild_id, number: outcome.ticket.number, note: outcome.note },
      };
  }
}

/** An ephemeral select menu of categories (Discord allows 25 options). @see https://discord.com/developers/docs/components/reference#string-select */
export function categorySelect(categories: Category[], customId = buildCustomId('open-select')) {
  return {
    type: ComponentKind.ActionRow,
    components: [
      {
        type: ComponentKind.StringSelect,
        custom_id: customId,
        placeholder: 'Choose what your ticket is about',
        options: categories.slice(0, 25).map((c) => ({
          label: c.name.slice(0, 100),
          value: c.id,
          description: c.description?.slice(0, 100) || undefined,
          // A server emoji is stored as `<:name:id>`; components take it as an object.
          emoji: c.emoji ? componentEmoji(c.emoji) : undefined,
        })),
      },
    ],
  };
}

/**
 * The message a ticket is about, as custom_id args (`<channel>`, `<message>`): the select and the
 * modal have no other state, so it rides along (two snowflakes: ≤ 41 characters).
 */
function aboutArgs(aboutMessageUrl: string | null): string[] {
  const about = aboutMessageUrl ? /channels\/\d+\/(\d+)\/(\d+)$/.exec(aboutMessageUrl) : null;
  return about ? [about[1], about[2]] : [];
}

/** The ephemeral "which category?" question; `dw1:open-select[:<channel>:<message>]`. */
function chooseCategoryReply(categories: Category[], aboutMessageUrl: string | null): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: 'What is your ticket about?', flags: MessageFlags.Ephemeral, components: [categorySelect(categories, buildCustomId('open-select', ...aboutArgs(aboutMessageUrl)))] as never },
  };
}

/**
 * The category's form as a modal, each question a Label wrapping a text input (Discord's current
 * modal layout). The message a ticket is about rides along in the custom_id (channel and message
 * ids), since a modal has no other state.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal
 */
export function formModal(category: Category, aboutMessageUrl: string | null): APIInteractionResponse {
  return {
    type: InteractionResponseType.Modal,
    data: {
      custom_id: buildCustomId('open-form', category.id, ...aboutArgs(aboutMessageUrl)),
      title: `New ticket: ${category.name}`.slice(0, 45),
      components: category.questions.map((q) => ({
        type: ComponentKind.Label,
        label: q.label.slice(0, 45),
        component: {
          type: ComponentKind.TextInput,
          custom_id: q.id,
          style: q.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: q.required,
          min_length: q.minLength,
          max_length: q.maxLength,
          placeholder: q.placeholder?.slice(0, 100),
        },
      })) as never,
    },
  };
}

type SubmittedInput = { custom_id?: string; value?: string };

/**
 * A modal submission's values by input custom_id, from either layout Discord sends: Label
 * components (`component`) or legacy action rows (`components`).
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-modal-submit-data-structure
 */
export function submittedValues(components: unknown[] | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const top of (components ?? []) as Array<{ component?: SubmittedInput; components?: SubmittedInput[] }>) {
    for (const input of [top.component, ...(top.components ?? [])]) {
      if (input?.custom_id) values[input.custom_id] = input.value ?? '';
    }
  }
  return values;
}

/** `https://discord.com/channels/<guild>/<channel>/<message>`: a link any member with access can open. */
export const messageUrl = (guildId: string, channelId: string, messageId: string) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

