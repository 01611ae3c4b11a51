import type { ActionModule } from './types';

/**
 * Component and modal actions by `custom_id` action name. Empty until the ticket flows add
 * buttons; an id that maps to nothing gets the "no longer available" reply.
 */
export const ACTIONS: ReadonlyMap<string, ActionModule<never>> = new Map();
