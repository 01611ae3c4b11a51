import { openButton, openForm, openSelect } from './actions/open';
import type { ActionModule } from './types';

/**
 * Component and modal actions by `custom_id` action name (`dw1:<action>:…`, parsed in
 * `shared/custom-id.ts`); an id that maps to nothing gets the "no longer available" reply.
 */
export const ACTIONS: ReadonlyMap<string, ActionModule<never>> = new Map(([openButton, openSelect, openForm] as ActionModule<never>[]).map((a) => [a.action, a]));
