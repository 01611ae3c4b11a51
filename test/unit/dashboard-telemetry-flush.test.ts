import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { buildDashboardDeps, handleDashboardRequest } from '../../lambdas/dashboard/handler';

describe('the dashboard telemetry flush', () => {
  it('aborts a send to a PostHog that answers too slowly, so no request to it outlives the response', async () => {
    // A PostHog that answers after 10 s; it records whether the connection was dropped before it could answer.
    const seen: Array<{ batch: Array<{ event: string }>; aborted: boolean }> = [];
    let ended: () => void = () => undefined;
    const connectionEnded = new Promise<void>((resolve) => (ended = resolve));
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const entry = { batch: (JSON.parse(body) as { batch: Array<{ event: string }> }).batch, aborted: false };
        seen.push(entry);
        const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}'), 10_000);
        res.on('close', () => {
          clearTimeout(timer);
          entry.aborted = !res.writableFinished;
          ended();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const deps = await buildDashboardDeps({
        AWS_REGION: 'us-east-1',
        TABLE_NAME: 'table',
        DISCORD_APPLICATION_ID: '1300000000000000002',
        POSTHOG_API_KEY: 'phc_test',
        POSTHOG_HOST: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        ARCHIVE_BUCKET: 'archive',
        ARCHIVE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        DASHBOARD_SESSION_SECRET: 'secret',
      });
      deps.telemetry.capture({ event: 'transcript_access_denied', guildId: '1300000000000000001', properties: { reason: 'expired' } });
      const event = { rawPath: '/api/health', rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET' } } } as unknown as LambdaFunctionURLEvent;
      const res = await handleDashboardRequest(event, deps);
      expect(res).toMatchObject({ statusCode: 200 });
      // The send was cut with the response (the sink sees the connection drop unanswered at once), not
      // left running after it: with a longer adapter timeout the drop would come seconds later.
      let grace: ReturnType<typeof setTimeout> | undefined;
      const afterResponse = await Promise.race([connectionEnded.then(() => 'dropped'), new Promise((resolve) => (grace = setTimeout(resolve, 500, 'still running')))]);
      clearTimeout(grace);
      expect(afterResponse).toBe('dropped');
      expect(seen).toEqual([{ batch: [expect.objectContaining({ event: 'transcript_access_denied' })], aborted: true }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
