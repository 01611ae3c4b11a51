import { ForbiddenError, NotFoundError, UnauthorizedError, UserError } from '../errors';
import type { DiscordApi } from '../ports/discord';
import type { DashboardSession } from '../ports/sessions';
import type { Ticket } from '../tickets/model';
import type { TicketStore } from '../tickets/ports';
import { staffRolesFor } from '../tickets/staff';
import { TRANSCRIPT_HTML, TRANSCRIPT_JSON, type SealedArchive } from './archive';
import { DataKeyGoneError } from './data-keys';
import { verifyLink } from './links';
import { INLINE_IMAGE_TYPES } from './model';
import type { TranscriptRecord, TranscriptRecordStore } from './ports';
import { RATING_SLOT } from './render-html';
import { escapeHtml } from './markdown';
import type { TtlCache } from '../ttl-cache';

/** The transcript is gone for good (its guild's archive was purged, or retention deleted it). */
export class TranscriptGoneError extends UserError {
  override readonly name = 'TranscriptGoneError';
  override readonly status = 410;
  override readonly code = 'gone';
}

export interface ViewerDeps {
  tickets: Pick<TicketStore, 'getTicket' | 'getSettings' | 'getCategory'>;
  records: TranscriptRecordStore;
  archive: SealedArchive;
  linkSecret: string;
  /** Staff-role check for dashboard sessions (members' roles); without it only managers and the opener pass. */
  members: Pick<DiscordApi, 'getMember'> | null;
  now: () => number;
  /**
   * Passed staff checks per container (guild, user, category), kept about a minute: a page and its
   * files are several requests, each would otherwise read the member from Discord. A removed staff
   * role therefore stops access within that minute.
   */
  staffChecks?: TtlCache<boolean>;
  /** Every refused attempt is logged (who, which ticket, why) — never the transcript itself. */
  onRefused: (refusal: { guildId: string; number: number; userId: string | null; reason: string }) => void;
}

/** Who is asking: a signed link's token, or a dashboard session (null when not logged in). */
export type ViewerCredential = { kind: 'link'; token: string } | { kind: 'session'; session: DashboardSession | null };

export interface ViewerAccess {
  userId: string;
  via: 'link' | 'opener' | 'manager' | 'staff';
  ticket: Ticket;
  record: TranscriptRecord;
}

function refuse(deps: ViewerDeps, guildId: string, number: number, userId: string | null, reason: string, message: string): never {
  deps.onRefused({ guildId, number, userId, reason });
  throw new ForbiddenError(message);
}

/**
 * Decides who may read a ticket's transcript: a signed link issued to this user for this ticket and
 * not expired, or a dashboard session whose user opened the ticket, manages the server, or holds
 * one of its staff roles. Everyone else gets 403, and the attempt is reported to `onRefused`.
 */
export async function authorizeViewer(guildId: string, number: number, credential: ViewerCredential, deps: ViewerDeps): Promise<ViewerAccess> {
  let userId: string;
  let via: ViewerAccess['via'];
  if (credential.kind === 'link') {
    const check = verifyLink(deps.linkSecret, credential.token, deps.now());
    if (!check.ok) {
      if (check.reason === 'expired') refuse(deps, guildId, number, null, 'link-expired', 'This transcript link has expired. Ask staff for a new one (/ticket transcript), or log in to the dashboard.');
      refuse(deps, guildId, number, null, 'link-invalid', 'This transcript link is not valid.');
    }
    if (check.grant.guildId !== guildId || check.grant.number !== number) refuse(deps, guildId, number, check.grant.userId, 'link-other-ticket', 'This transcript link is for another ticket.');
    userId = check.grant.userId;
    via = 'link';
  } else {
    if (!credential.session) {
      // Not logged in is a refused attempt like any other (someone holds a viewer address).
      deps.onRefused({ guildId, number, userId: null, reason: 'no-session' });
      throw new UnauthorizedError('Log in with Discord to read this transcript (/auth/login), or use the link staff gave you.');
    }
    userId = credential.session.userId;
    via = 'staff';
  }
  const [ticket, record] = await Promise.all([deps.tickets.getTicket(guildId, number), deps.records.latest(guildId, number)]);
  if (credential.kind === 'session') {
    const session = credential.session!;
    if (ticket?.openerId === userId) via = 'opener';
    else if (session.guilds.some((g) => g.id === guildId)) via = 'manager';
    else if (!(await isStaffMember(guildId, userId, ticket, deps))) refuse(deps, guildId, number, userId, 'not-staff', 'Only the staff of this server and the member who opened the ticket can read this transcript.');
  }
  if (!ticket || !record) throw new NotFoundError(ticket?.status === 'closed' ? 'The transcript of this ticket is not stored yet. Try again in a minute.' : 'There is no transcript for this ticket.');
  return { userId, via, ticket, record };
}

async function isStaffMember(guildId: string, userId: string, ticket: Ticket | null, deps: ViewerDeps): Promise<boolean> {
  if (!deps.members) return false;
  const cacheKey = `${guildId}:${userId}:${ticket?.categoryId ?? ''}`;
  const cached = deps.staffChecks?.get(cacheKey, deps.now());
  if (cached !== undefined) return cached;
  const staff = await checkStaffRoles(guildId, userId, ticket, deps.members, deps);
  // Only a pass is kept: a refusal (or a Discord hiccup read as one) is checked again next time.
  if (staff) deps.staffChecks?.set(cacheKey, true, deps.now());
  return staff;
}

async function checkStaffRoles(guildId: string, userId: string, ticket: Ticket | null, members: NonNullable<ViewerDeps['members']>, deps: ViewerDeps): Promise<boolean> {
  const [settings, category, member] = await Promise.all([
    deps.tickets.getSettings(guildId),
    ticket ? deps.tickets.getCategory(guildId, ticket.categoryId) : Promise.resolve(null),
    members.getMember(guildId, userId).catch(() => null),
  ]);
  if (!settings || !member) return false;
  const staff = new Set(staffRolesFor(settings, category));
  return member.roles.some((r) => staff.has(r));
}

/** A file of the transcript as the viewer serves it. */
export interface ViewerFile {
  data: Buffer;
  contentType: string;
  /** Served as a download (anything that is not a plain raster image: never rendered on our origin). */
  download: string | null;
}

/**
 * Opens an archive object. A purged guild's transcript is a 410; a changed object
 * (`ArchiveIntegrityError`) stays an unexpected error: a 500 that is logged and captured.
 */
async function open(archive: SealedArchive, guildId: string, key: string) {
  try {
    return await archive.get(guildId, key);
  } catch (err) {
    if (err instanceof DataKeyGoneError) throw new TranscriptGoneError('This transcript was deleted with the server’s data.');
    throw err;
  }
}

/** The page, the JSON export, or one re-hosted file of the transcript the access allows. */
export async function readTranscriptFile(access: ViewerAccess, file: { kind: 'html' } | { kind: 'json' } | { kind: 'attachment'; id: string } | { kind: 'avatar'; id: string }, deps: Pick<ViewerDeps, 'archive'>): Promise<ViewerFile> {
  const { record, ticket } = access;
  const name = file.kind === 'html' ? TRANSCRIPT_HTML : file.kind === 'json' ? TRANSCRIPT_JSON : `${file.kind === 'attachment' ? 'attachments' : 'avatars'}/${file.id}`;
  const object = await open(deps.archive, record.guildId, record.prefix + name);
  if (!object) {
    if (file.kind === 'html' || file.kind === 'json') throw new TranscriptGoneError('This transcript is no longer stored.');
    throw new NotFoundError('That file is not in this transcript’s archive.');
  }
  if (file.kind === 'html') {
    // A rating given after the transcript was stored shows from the ticket row (same close only).
    let html = object.data.toString('utf8');
    if (ticket.closedAt === record.closedAt && ticket.rating) {
      const shown = `<b>${'★'.repeat(ticket.rating)}${'☆'.repeat(5 - ticket.rating)}</b>${ticket.feedback ? ` — ${escapeHtml(ticket.feedback)}` : ''}`;
      // A replacer function: a string replacement would expand `$&`, `$'`, `` $` `` written in the feedback.
      html = html.replace(RATING_SLOT, () => shown);
    }
    return { data: Buffer.from(html), contentType: 'text/html; charset=utf-8', download: null };
  }
  if (file.kind === 'json') return { data: object.data, contentType: 'application/json', download: `ticket-${ticket.number}-transcript.json` };
  const inline = INLINE_IMAGE_TYPES.has(object.contentType);
  return { data: object.data, contentType: inline ? object.contentType : 'application/octet-stream', download: inline ? null : file.id };
}
