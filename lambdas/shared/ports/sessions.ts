/** A dashboard login session (item `SESSION#<id>`, expiring by TTL). */
export interface DashboardSession {
  id: string;
  userId: string;
  /** Shown in the dashboard header; the user's own name, kept only for their session. */
  username: string;
  avatar: string | null;
  /** Guilds the user can manage (owner or Manage Server) at login time. */
  guilds: Array<{ id: string; name: string; icon: string | null }>;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  create(session: DashboardSession): Promise<void>;
  /** The session, or null when unknown or expired. */
  get(id: string, now: number): Promise<DashboardSession | null>;
  delete(id: string): Promise<void>;
}
