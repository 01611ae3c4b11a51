import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../licensing/ports';
import { Keys } from './keys';

/** The item of an audit entry (`AUDIT#<yyyy-mm>` / `<iso>#<actor>#<nonce>`), for a Put or a transaction. */
export const auditItem = (entry: AuditEntry) => ({ ...Keys.audit(entry.at, entry.actor, randomBytes(4).toString('hex')), ...entry });
