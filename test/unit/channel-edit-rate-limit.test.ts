import { MAX_CHANNEL_EDIT_WAIT_MS, rejectLongChannelEditLimit } from '../../lambdas/shared/adapters/discord-rest';

describe('long channel-edit rate limits are rejected, not slept through', () => {
  it('rejects a PATCH /channels/{id} wait longer than a job can afford, and only that', () => {
    const patch = { method: 'PATCH', route: '/channels/:id' };
    expect(rejectLongChannelEditLimit({ ...patch, retryAfter: 540_000 })).toBe(true);
    expect(rejectLongChannelEditLimit({ ...patch, method: 'patch', retryAfter: MAX_CHANNEL_EDIT_WAIT_MS + 1 })).toBe(true);
    // Short waits are still handled by @discordjs/rest.
    expect(rejectLongChannelEditLimit({ ...patch, retryAfter: MAX_CHANNEL_EDIT_WAIT_MS })).toBe(false);
    // Other routes keep their behaviour.
    expect(rejectLongChannelEditLimit({ method: 'POST', route: '/channels/:id/messages', retryAfter: 540_000 })).toBe(false);
    expect(rejectLongChannelEditLimit({ method: 'DELETE', route: '/channels/:id', retryAfter: 540_000 })).toBe(false);
  });
});
