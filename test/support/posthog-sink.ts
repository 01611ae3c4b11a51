import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface CapturedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

/** A local HTTP server standing in for PostHog's ingestion API; keeps every event and raw body. */
export async function startPostHogSink() {
  const events: CapturedEvent[] = [];
  const rawBodies: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const text = body.toString('utf8');
    rawBodies.push(text);
    try {
      const json = JSON.parse(text) as { batch?: CapturedEvent[] } & CapturedEvent;
      events.push(...(json.batch ?? [json]));
    } catch {
      /* not JSON: kept in rawBodies */
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    rawBodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
