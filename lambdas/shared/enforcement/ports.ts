import type { AuditEntry } from '../licensing/ports';
import type { EnforcementAction, EnforcementState, TargetKind } from './model';

/**
 * Enforcement records (`ENFORCE#<KIND>#<id>`: a `STATE` item while a ban is in force, one `ACTION#…`
 * item per action). Each change writes its audit entry in the same transaction.
 */
export interface EnforcementStore {
  /**
   * The current bans of a guild and a user in one BatchGet (the interactions λ's one extra read);
   * either id may be null.
   */
  states(guildId: string | null, userId: string | null): Promise<{ guild: EnforcementState | null; user: EnforcementState | null }>;
  state(kind: TargetKind, targetId: string): Promise<EnforcementState | null>;
  /** Records the action (and the ban state for `ban`); 'already_banned' when a ban is in force. */
  add(action: EnforcementAction, audit: AuditEntry): Promise<'added' | 'already_banned'>;
  /** Lifts the ban in force; null when there was none. */
  lift(kind: TargetKind, targetId: string, by: string, now: number, audit: AuditEntry): Promise<EnforcementAction | null>;
  /** Every action on the target, oldest first. */
  history(kind: TargetKind, targetId: string): Promise<EnforcementAction[]>;
  audit(entry: AuditEntry): Promise<void>;
}
