import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIInteractionDataResolvedChannel,
  APIRole,
} from 'discord-api-types/v10';
import { OptionType } from '../shared/discord-constants';

type Option = APIApplicationCommandInteractionDataOption;

/**
 * Reads a chat-input command's options, descending into the invoked subcommand (group).
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-interaction-data-option-structure
 */
export class CommandOptions {
  readonly subcommand: string | null;
  private readonly leaf: Option[];

  private readonly interaction: Pick<APIChatInputApplicationCommandInteraction, 'data'>;

  constructor(interaction: Pick<APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction, 'data'>) {
    this.interaction = interaction as Pick<APIChatInputApplicationCommandInteraction, 'data'>;
    let options: Option[] = (interaction.data.options ?? []) as Option[];
    let sub: string | null = null;
    for (;;) {
      const nested = options.find((o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup) as (Option & { options?: Option[] }) | undefined;
      if (!nested) break;
      sub = sub ? `${sub} ${nested.name}` : nested.name;
      options = nested.options ?? [];
    }
    this.subcommand = sub;
    this.leaf = options;
  }

  private raw(name: string): unknown {
    return (this.leaf.find((o) => o.name === name) as { value?: unknown } | undefined)?.value;
  }

  string(name: string): string | null {
    const v = this.raw(name);
    return typeof v === 'string' ? v : null;
  }

  integer(name: string): number | null {
    const v = this.raw(name);
    return typeof v === 'number' ? v : null;
  }

  boolean(name: string): boolean | null {
    const v = this.raw(name);
    return typeof v === 'boolean' ? v : null;
  }

  /** A user/member option's id. */
  userId(name: string): string | null {
    return this.string(name);
  }

  /** A channel option with the partial channel Discord resolved (it exists in the guild). */
  channel(name: string): APIInteractionDataResolvedChannel | null {
    const id = this.string(name);
    return id ? ((this.interaction.data.resolved?.channels?.[id] as APIInteractionDataResolvedChannel | undefined) ?? null) : null;
  }

  /** A role option with the role Discord resolved. */
  role(name: string): APIRole | null {
    const id = this.string(name);
    return id ? (this.interaction.data.resolved?.roles?.[id] ?? null) : null;
  }

  /** The option the user is typing in (autocomplete). */
  focused(): { name: string; value: string } | null {
    const f = this.leaf.find((o) => (o as { focused?: boolean }).focused) as { name: string; value: unknown } | undefined;
    return f ? { name: f.name, value: String(f.value ?? '') } : null;
  }
}
