import { closeAccept, closeDecline } from './actions/close-request';
import { openButton, openForm, openSelect } from './actions/open';
import { rateButton, rateCommentButton, rateFeedbackModal } from './actions/rate';
import { ticketClaimButton, ticketUnclaimButton } from './actions/ticket-claim';
import { closeCancel, closeConfirm, ticketCloseButton } from './actions/ticket-close';
import { ticketKeepButton } from './actions/ticket-keep';
import type { ActionModule } from './types';

/** Buttons and modals that work, close and rate a ticket. */
const TICKET_ACTIONS = [
  ticketClaimButton,
  ticketUnclaimButton,
  ticketCloseButton,
  closeConfirm,
  closeCancel,
  closeAccept,
  closeDecline,
  ticketKeepButton,
  rateButton,
  rateCommentButton,
  rateFeedbackModal,
] as ActionModule<never>[];

/**
 * Component and modal actions by `custom_id` action name (`dw1:<action>:…`, parsed in
 * `shared/custom-id.ts`); an id that maps to nothing gets the "no longer available" reply.
 */
export const ACTIONS: ReadonlyMap<string, ActionModule<never>> = new Map(([openButton, openSelect, openForm, ...TICKET_ACTIONS] as ActionModule<never>[]).map((a) => [a.action, a]));
