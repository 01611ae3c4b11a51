import type { Category, FormAnswer, GuildSettings, Ticket, TicketMode } from './model';

export interface ReserveTicketInput {
  guildId: string;
  category: Category;
  openerId: string;
  mode: TicketMode;
  answers: FormAnswer[];
  aboutMessageUrl: string | null;
  now: number;
}

/** Why a reservation was refused; the domain turns it into the member's message. */
export type ReservationRefusal =
  | { reason: 'member_limit'; openTickets: Ticket[]; limit: number }
  | { reason: 'cooldown'; retryAt: number }
  | { reason: 'category_full'; cap: number }
  | { reason: 'category_deleted' };

export type ReservationResult = { ok: true; ticket: Ticket } | ({ ok: false } & ReservationRefusal);

/**
 * Persistence of settings, categories and tickets (DESIGN §3: `GUILD#<gid>` partition).
 * Limits are enforced by conditional writes, so concurrent opens can never exceed them.
 */
export interface TicketStore {
  getSettings(guildId: string): Promise<GuildSettings | null>;
  saveSettings(guildId: string, settings: GuildSettings): Promise<void>;

  getCategory(guildId: string, categoryId: string): Promise<Category | null>;
  listCategories(guildId: string): Promise<Category[]>;
  /** Creates or replaces a category (its open-ticket count is kept). */
  saveCategory(guildId: string, category: Category): Promise<void>;
  deleteCategory(guildId: string, categoryId: string): Promise<boolean>;

  /** The blacklist entry's reason, or undefined when the member may open tickets. */
  blacklistEntry(guildId: string, userId: string): Promise<{ reason: string | null } | undefined>;

  /**
   * Takes the next ticket number and, in one transaction, the member's slot (per-member limit and
   * cooldown), the category's slot (total cap) and the ticket row in status `opening`.
   */
  reserveTicket(input: ReserveTicketInput): Promise<ReservationResult>;
  /** Undoes a reservation whose channel could not be made: row deleted, slots released. */
  abandonTicket(ticket: Ticket): Promise<void>;

  getTicket(guildId: string, number: number): Promise<Ticket | null>;
  /** The ticket living in `channelId` (thread or channel), via the channel index. */
  ticketByChannel(channelId: string): Promise<Ticket | null>;
  /** Records the created thread/channel once; returns the channel id that is recorded. */
  attachChannel(ticket: Ticket, channelId: string): Promise<string>;
  /** `opening` → `open` with the welcome message. */
  markOpen(ticket: Ticket, welcomeMessageId: string, now: number): Promise<void>;
}
