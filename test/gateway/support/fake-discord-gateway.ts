import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// `ws` is what discord.js's own gateway client (@discordjs/ws) is built on, so it is always installed with it.
import { WebSocketServer, type WebSocket } from 'ws';
import readyFixture from '../../fixtures/gateway/ready.json';

/** What a client sent in IDENTIFY (op 2). @see https://discord.com/developers/docs/events/gateway-events#identify */
export interface Identify {
  token: string;
  intents: number;
  shard: [number, number];
}

interface Session {
  socket: WebSocket;
  seq: number;
  identify: Identify;
}

/**
 * A loopback stand-in for Discord's gateway: `GET /api/v10/gateway/bot` plus a WebSocket speaking
 * the gateway protocol far enough for discord.js to connect (HELLO, IDENTIFY, READY, heartbeat
 * ACKs). Tests push dispatch packets (fixtures) to a shard's socket exactly as Discord would.
 *
 * @see https://discord.com/developers/docs/events/gateway#connection-lifecycle
 */
export class FakeDiscordGateway {
  readonly identifies: Identify[] = [];
  private readonly sessions = new Map<number, Session>();
  private readonly identifyWaiters: Array<{ shardId: number; resolve: (i: Identify) => void }> = [];
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;

  private constructor(private readonly options: { shards: number; autoReady: boolean; rejectToken: boolean; botUserId?: string }) {
    this.http = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/api/v10/gateway/bot')) {
        if (this.options.rejectToken) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"401: Unauthorized","code":0}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            url: `ws://127.0.0.1:${this.port}`,
            shards: this.options.shards,
            // A high max_concurrency lets several shards identify at once (no 5 s identify spacing).
            session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 16 },
          }),
        );
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404: Not Found","code":0}');
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /**
   * `shards`: what `/gateway/bot` recommends. `autoReady`: answer IDENTIFY with READY (no guilds)
   * at once. `rejectToken`: answer `/gateway/bot` with 401, as Discord does for a bad token.
   */
  static async start(options: { shards?: number; autoReady?: boolean; rejectToken?: boolean; botUserId?: string } = {}): Promise<FakeDiscordGateway> {
    const gw = new FakeDiscordGateway({
      shards: options.shards ?? 1,
      autoReady: options.autoReady ?? true,
      rejectToken: options.rejectToken ?? false,
      botUserId: options.botUserId,
    });
    await new Promise<void>((resolve) => gw.http.listen(0, '127.0.0.1', resolve));
    gw.port = (gw.http.address() as AddressInfo).port;
    return gw;
  }

  /** For discord.js `rest.api` / `DISCORD_API_BASE_URL`. */
  get apiBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Resolves when shard `shardId` has sent IDENTIFY (at once if it already has). */
  waitForIdentify(shardId = 0): Promise<Identify> {
    const session = this.sessions.get(shardId);
    if (session) return Promise.resolve(session.identify);
    return new Promise((resolve) => this.identifyWaiters.push({ shardId, resolve }));
  }

  /** Sends READY to a shard; `guilds` are the unavailable-guild stubs Discord lists before their GUILD_CREATEs. */
  sendReady(shardId = 0, guilds: Array<{ id: string; unavailable: true }> = []): void {
    const session = this.session(shardId);
    this.dispatch(shardId, {
      ...readyFixture,
      d: { ...readyFixture.d, user: { ...readyFixture.d.user, id: this.options.botUserId ?? readyFixture.d.user.id }, guilds, session_id: `session-${shardId}`, shard: session.identify.shard, resume_gateway_url: `ws://127.0.0.1:${this.port}` },
    });
  }

  /** Sends a dispatch packet (`{ op: 0, t, d }`) to a shard, with the next sequence number. */
  dispatch(shardId: number, packet: { t: string; d: unknown }): void {
    const session = this.session(shardId);
    session.socket.send(JSON.stringify({ op: 0, t: packet.t, s: ++session.seq, d: packet.d }));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private session(shardId: number): Session {
    const session = this.sessions.get(shardId);
    if (!session) throw new Error(`shard ${shardId} has not identified`);
    return session;
  }

  private onConnection(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (payload.op === 1) {
        socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (payload.op === 2) {
        const d = payload.d as Identify;
        const identify: Identify = { token: d.token, intents: d.intents, shard: d.shard };
        const shardId = identify.shard?.[0] ?? 0;
        this.identifies.push(identify);
        this.sessions.set(shardId, { socket, seq: 0, identify });
        for (const w of this.identifyWaiters.filter((x) => x.shardId === shardId)) w.resolve(identify);
        this.identifyWaiters.splice(0, this.identifyWaiters.length, ...this.identifyWaiters.filter((x) => x.shardId !== shardId));
        if (this.options.autoReady) this.sendReady(shardId);
      }
    });
    socket.on('close', () => {
      for (const [id, s] of this.sessions) if (s.socket === socket) this.sessions.delete(id);
    });
  }
}
