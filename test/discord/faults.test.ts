import { FaultInjector } from '../../local/discord';

describe('fault patterns', () => {
  it('match route templates with or without a method, literal paths, trailing wildcards and regexes', () => {
    const faults = new FaultInjector();
    const byTemplate = faults.set('POST /channels/{channel}/messages', { status: 500 });
    const byPath = faults.set('/api/v10/guilds/42', { status: 503 }, 1);
    const byPrefix = faults.set('/webhooks/*', { status: 502 });
    const byRegex = faults.set(/^DELETE \/channels\/\d+$/, { status: 403, code: 50001 });

    expect(faults.take('POST', '/channels/1/messages')).toEqual({ status: 500 });
    expect(faults.take('GET', '/channels/1/messages')).toBeUndefined();
    expect(faults.take('GET', '/guilds/42')).toEqual({ status: 503 });
    expect(faults.take('GET', '/guilds/42')).toBeUndefined();
    expect(faults.take('PATCH', '/webhooks/1/token/messages/@original')).toEqual({ status: 502 });
    expect(faults.take('POST', '/webhooks/1/token')).toEqual({ status: 502 });
    expect(faults.take('POST', '/webhooksx')).toBeUndefined();
    expect(faults.take('DELETE', '/channels/9')).toEqual({ status: 403, code: 50001 });

    expect([byTemplate.hits, byPath.hits, byPath.remaining, byPrefix.hits, byRegex.hits]).toEqual([1, 1, 0, 2, 1]);
    expect(faults.active).toHaveLength(3);
    faults.clear();
    expect(faults.take('POST', '/channels/1/messages')).toBeUndefined();
  });
});
