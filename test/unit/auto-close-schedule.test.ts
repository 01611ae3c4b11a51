import { HOUR_MS } from '../../lambdas/shared/clock';
import { autoCloseStep, autoCloseTimes, firstAutoCloseDue } from '../../lambdas/shared/tickets/auto-close-schedule';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../lambdas/shared/tickets/model';

const settings = (autoCloseHours: number | null, autoCloseWarnHours = 12): GuildSettings => ({
  ...DEFAULT_SETTINGS,
  staffRoleIds: [],
  mode: 'thread',
  supportChannelId: null,
  ticketCategoryId: null,
  logChannelId: null,
  transcriptChannelId: null,
  updatedAt: 0,
  autoCloseHours,
  autoCloseWarnHours,
});

describe('auto-close schedule', () => {
  const t0 = Date.parse('2026-11-01T12:00:00Z');
  const open = (extra: { autoCloseWarnedAt?: number | null; lastActivityAt?: number } = {}) => ({ status: 'open' as const, lastActivityAt: t0, autoCloseWarnedAt: null, ...extra });

  it('warns `warn` hours before the close; no warning when it would not come first', () => {
    expect(autoCloseTimes(settings(48), t0)).toEqual({ warnAt: t0 + 36 * HOUR_MS, closeAt: t0 + 48 * HOUR_MS });
    expect(autoCloseTimes(settings(12, 12), t0)).toEqual({ warnAt: null, closeAt: t0 + 12 * HOUR_MS });
    expect(autoCloseTimes(settings(null), t0)).toBeNull();
    expect(firstAutoCloseDue(settings(48), t0)).toBe(t0 + 36 * HOUR_MS);
    expect(firstAutoCloseDue(settings(12, 12), t0)).toBe(t0 + 12 * HOUR_MS);
  });

  it('decides each step from the current settings and the last activity', () => {
    const s = settings(48);
    expect(autoCloseStep(open(), s, t0 + 35 * HOUR_MS)).toEqual({ kind: 'wait', dueAt: t0 + 36 * HOUR_MS });
    expect(autoCloseStep(open(), s, t0 + 36 * HOUR_MS)).toEqual({ kind: 'warn', closeAt: t0 + 48 * HOUR_MS });
    // A late warning still gives the full 12 hours.
    expect(autoCloseStep(open(), s, t0 + 50 * HOUR_MS)).toEqual({ kind: 'warn', closeAt: t0 + 62 * HOUR_MS });
    expect(autoCloseStep(open({ autoCloseWarnedAt: t0 + 36 * HOUR_MS }), s, t0 + 47 * HOUR_MS)).toEqual({ kind: 'wait', dueAt: t0 + 48 * HOUR_MS });
    expect(autoCloseStep(open({ autoCloseWarnedAt: t0 + 36 * HOUR_MS }), s, t0 + 48 * HOUR_MS)).toEqual({ kind: 'close' });
    // Activity after the item was queued: wait again from the new activity.
    expect(autoCloseStep(open({ lastActivityAt: t0 + 10 * HOUR_MS }), s, t0 + 36 * HOUR_MS)).toEqual({ kind: 'wait', dueAt: t0 + 46 * HOUR_MS });
    // Turned off, closed, or gone: out of the index.
    expect(autoCloseStep(open(), settings(null), t0 + 99 * HOUR_MS)).toEqual({ kind: 'none' });
    expect(autoCloseStep({ ...open(), status: 'closed' }, s, t0 + 99 * HOUR_MS)).toEqual({ kind: 'none' });
    expect(autoCloseStep(null, s, t0)).toEqual({ kind: 'none' });
    // Without a warning configured, it closes at the close time.
    expect(autoCloseStep(open(), settings(12, 12), t0 + 12 * HOUR_MS)).toEqual({ kind: 'close' });
  });
});
