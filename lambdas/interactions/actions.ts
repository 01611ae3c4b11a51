import { calloutAcceptButton } from './actions/callout-accept';
import { calloutDeclineButton } from './actions/callout-decline';
import { calloutRespondButton } from './actions/callout-respond';
import { calloutResolveButton } from './actions/callout-resolve';
import { calloutResolveNoteModal } from './actions/callout-resolve-note';
import { closeAccept } from './actions/close-accept';
import { enforceJustifyModal } from './actions/enforce-justify';
import { closeCancel } from './actions/close-cancel';
import { closeConfirm } from './actions/close-confirm';
import { closeDecline } from './actions/close-decline';
import { openButton, openForm, openSelect } from './actions/open';
import { rateButton } from './actions/rate';
import { rateCommentButton } from './actions/rate-comment';
import { rateFeedbackModal } from './actions/rate-feedback';
import { ticketClaimButton } from './actions/ticket-claim';
import { ticketCloseButton } from './actions/ticket-close';
import { ticketKeepButton } from './actions/ticket-keep';
import { ticketUnclaimButton } from './actions/ticket-unclaim';
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

/** Interactive Support callouts (terms, HQ alert buttons) and the sudo justification modal. */
const VENDOR_ACTIONS = [calloutAcceptButton, calloutDeclineButton, calloutRespondButton, calloutResolveButton, calloutResolveNoteModal, enforceJustifyModal] as ActionModule<never>[];

/**
 * Component and modal actions by `custom_id` action name (`dw1:<action>:…`, parsed in
 * `shared/custom-id.ts`); an id that maps to nothing gets the "no longer available" reply.
 */
export const ACTIONS: ReadonlyMap<string, ActionModule<never>> = new Map(([openButton, openSelect, openForm, ...TICKET_ACTIONS, ...VENDOR_ACTIONS] as ActionModule<never>[]).map((a) => [a.action, a]));
