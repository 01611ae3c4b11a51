import { UserError } from '../errors';
import { MAX_CLOSE_REASON } from './model';

/**
 * A close reason rides in an embed of the close confirmation or close request (a button's
 * custom_id has no room for it) and is read back from the message Discord sends with the press.
 */
const REASON_TITLE = 'Reason';

interface ReasonEmbed {
  title?: string;
  description?: string;
}

export function reasonEmbeds(reason: string | null): Array<Required<ReasonEmbed>> {
  return reason ? [{ title: REASON_TITLE, description: reason }] : [];
}

/** The reason shown on a confirmation or close request, from the message a button press carries. */
export function reasonFrom(message: { embeds?: ReasonEmbed[] } | undefined): string | null {
  return message?.embeds?.find((e) => e.title === REASON_TITLE)?.description ?? null;
}

/** Trimmed (blank = none) and within {@link MAX_CLOSE_REASON}. */
export function checkReason(raw: string | null): string | null {
  const reason = raw?.trim() || null;
  if (reason && reason.length > MAX_CLOSE_REASON) throw new UserError(`Keep the reason under ${MAX_CLOSE_REASON} characters.`);
  return reason;
}
