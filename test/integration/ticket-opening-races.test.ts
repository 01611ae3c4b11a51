import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RestDiscordApi } from '../../lambdas/shared/adapters/discord-rest';
import { DynamoTicketStore } from '../../lambdas/shared/adapters/dynamo-ticket-store';
import type { DiscordApi } from '../../lambdas/shared/ports/discord';
import { newCategory, DEFAULT_SETTINGS, type Category, type Ticket } from '../../lambdas/shared/tickets/model';
import { provisionTicket, TicketBusyError, type ProvisionDeps } from '../../lambdas/shared/tickets/provision-ticket';
import { startDiscordEmulator, type DiscordEmulator } from '../../local/discord';
import { seedSandboxGuild, type SandboxWorld } from '../../local/sandbox';
import { provisionForTest } from '../support/aws';

/**
 * Reservations and opening attempts that overlap, or whose writes report failure after being
 * applied, with the interleaving fixed by hand: the real store on DynamoDB Local, the real REST adapter on the
 * Discord emulator. Nothing the ticket's row points at is ever deleted, and nothing is orphaned.
 */
let aws: Awaited<ReturnType<typeof provisionForTest>>;
let discord: DiscordEmulator;
let api: RestDiscordApi;
let world: SandboxWorld;
let store: DynamoTicketStore;
let category: Category;
const warnings: string[] = [];

beforeAll(async () => {
  aws = await provisionForTest('provision-races');
  discord = await startDiscordEmulator();
  api = new RestDiscordApi({ apiBaseUrl: discord.apiBaseUrl, botToken: discord.botToken, timeoutMs: 5000 });
  world = seedSandboxGuild(discord);
  store = new DynamoTicketStore(aws.db, aws.resources.tableName);
  await store.saveSettings(world.guild.id, {
    ...DEFAULT_SETTINGS,
    staffRoleIds: [world.guild.supportRoleId!],
    mode: 'thread',
    supportChannelId: world.channelId,
    ticketCategoryId: null,
    logChannelId: null,
    transcriptChannelId: null,
    updatedAt: Date.now(),
  });
  category = newCategory({ id: 'general', name: 'General', createdAt: Date.now() });
  await store.createCategory(world.guild.id, category);
});

afterAll(async () => {
  api.rest.clearHashSweeper();
  api.rest.clearHandlerSweeper();
  await discord.close();
  aws.destroy();
});

afterEach(() => discord.faults.clear());

function deps(over: { tickets?: DynamoTicketStore; discord?: Partial<DiscordApi> } = {}): ProvisionDeps {
  const base = api as unknown as Record<string | symbol, unknown>;
  const extra = (over.discord ?? {}) as Record<string | symbol, unknown>;
  const discordApi = new Proxy(base, { get: (t, k) => (k in extra ? extra[k] : typeof t[k] === 'function' ? (t[k] as (...a: unknown[]) => unknown).bind(t) : t[k]) }) as unknown as DiscordApi;
  return { tickets: over.tickets ?? store, discord: discordApi, clock: { now: () => Date.now() }, botUserId: discord.applicationId, log: { warn: (msg) => warnings.push(msg) } };
}

async function reserve(): Promise<Ticket> {
  const member = discord.createUser({ username: `opener${Math.floor(Math.random() * 1e6)}` });
  discord.addMember(world.guild.id, member.id, []);
  const reserved = await store.reserveTicket({ guildId: world.guild.id, category, openerId: member.id, mode: 'thread', answers: [], aboutMessageUrl: null, now: Date.now() });
  if (!reserved.ok) throw new Error(reserved.reason);
  return reserved.ticket;
}

const threadsOf = (member: string) => discord.threadsOf(world.guild.id).filter((x) => discord.threadMembersOf(x.id).includes(member));
const welcomesIn = (channelId: string) => discord.messagesIn(channelId).filter((m) => m.author.id === discord.applicationId && JSON.stringify(m.components ?? []).includes('ticket-close'));

it('recording the thread times out after DynamoDB applied it: the thread is kept, and the retry opens the ticket in it', async () => {
  const ticket = await reserve();
  // The attach write reaches DynamoDB, then the call reports a timeout (the answer was lost).
  let lose = true;
  const lossy = {
    send: async (command: unknown) => {
      const out = await aws.db.send(command as never);
      if (lose && command instanceof UpdateCommand && String(command.input.UpdateExpression).includes('SET channelId = :c')) {
        lose = false;
        throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
      }
      return out;
    },
  } as unknown as DynamoDBDocumentClient;
  await expect(provisionTicket(world.guild.id, ticket.number, null, deps({ tickets: new DynamoTicketStore(lossy, aws.resources.tableName) }))).rejects.toThrow('socket timed out');
  expect(lose).toBe(false);
  const recorded = (await store.getTicket(world.guild.id, ticket.number))!;
  expect(recorded.status).toBe('opening');
  expect(recorded.channelId).toBeTruthy();
  // The row points at it, so it was not deleted.
  expect(discord.state.channels.has(recorded.channelId!)).toBe(true);

  // The retry (the job redelivered) finishes in that thread.
  const { ticket: opened, channelId } = await provisionTicket(world.guild.id, ticket.number, null, deps());
  expect(channelId).toBe(recorded.channelId);
  expect(opened.status).toBe('open');
  expect((await store.getTicket(world.guild.id, ticket.number))?.status).toBe('open');
  expect(threadsOf(ticket.openerId).map((t) => t.id)).toEqual([channelId]);
  expect(welcomesIn(channelId)).toHaveLength(1);
});

it('an attempt refused at the create (thread cap) while another recorded its thread steps back: the other thread and row stay, and the ticket opens', async () => {
  const ticket = await reserve();
  let releaseB!: () => void;
  const bMayPost = new Promise<void>((resolve) => (releaseB = resolve));
  let bStalled!: () => void;
  const bAtWelcome = new Promise<void>((resolve) => (bStalled = resolve));
  // B: creates and records its thread, then waits before posting the welcome.
  const bDeps = deps({
    discord: {
      postMessage: async (channelId, body) => {
        bStalled();
        await bMayPost;
        return api.postMessage(channelId, body);
      },
    },
  });
  let b: Promise<unknown> | undefined;
  // A read the row before B recorded its thread; by A's create, B has taken the guild's last thread slot.
  const aDeps = deps({
    discord: {
      createPrivateThread: async (parentId, name, reason) => {
        b = provisionTicket(world.guild.id, ticket.number, null, bDeps);
        await bAtWelcome;
        discord.faults.set(`POST /channels/${world.channelId}/threads`, { status: 403, code: 160006, message: 'Maximum number of active threads reached' }, 1);
        return api.createPrivateThread(parentId, name, reason);
      },
    },
  });
  const a = await provisionTicket(world.guild.id, ticket.number, null, aDeps).then(
    () => null,
    (err: unknown) => err,
  );
  // Not a refusal of the ticket: the job is retried, and nothing of B's was touched.
  expect(a).toBeInstanceOf(TicketBusyError);
  const row = (await store.getTicket(world.guild.id, ticket.number))!;
  expect(row).toMatchObject({ status: 'opening', channelId: expect.any(String) });
  expect(discord.state.channels.has(row.channelId!)).toBe(true);

  releaseB();
  await b;
  expect((await store.getTicket(world.guild.id, ticket.number))).toMatchObject({ status: 'open', channelId: row.channelId });
  // A's retry finds it open.
  expect((await provisionTicket(world.guild.id, ticket.number, null, deps())).channelId).toBe(row.channelId);
  expect(threadsOf(ticket.openerId).map((t) => t.id)).toEqual([row.channelId]);
  expect(welcomesIn(row.channelId!)).toHaveLength(1);
});

it('without a cooldown, a member refused by a concurrent open whose slot is freed again before the re-read is told about the open ticket, never "recently opened"', async () => {
  const member = discord.createUser({ username: `racer${Math.floor(Math.random() * 1e6)}` });
  const noCooldown = newCategory({ id: `nocool${Math.floor(Math.random() * 1e6)}`, name: 'No cooldown', createdAt: Date.now(), limits: { perMember: 1, cooldownMinutes: 0, totalOpen: null } });
  await store.createCategory(world.guild.id, noCooldown);
  const input = { guildId: world.guild.id, category: noCooldown, openerId: member.id, mode: 'thread' as const, answers: [], aboutMessageUrl: null, now: Date.now() };
  // The early check sees a free slot; a concurrent open takes it before the transaction; that open
  // is rolled back before the refusal is explained.
  let concurrent: Ticket | null = null;
  const racing = {
    send: async (command: unknown) => {
      if (!concurrent && command instanceof UpdateCommand && String(command.input.UpdateExpression).startsWith('ADD nextNumber')) {
        const other = await store.reserveTicket(input);
        if (!other.ok) throw new Error(other.reason);
        concurrent = other.ticket;
      } else if (concurrent && command instanceof GetCommand && String((command.input.Key as { SK: string }).SK).includes('MEMBER')) {
        expect(await store.abandonTicket(concurrent, null)).toBe(true);
      }
      return aws.db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  const result = await new DynamoTicketStore(racing, aws.resources.tableName).reserveTicket(input);
  expect(concurrent).not.toBeNull();
  expect(result).toEqual({ ok: false, reason: 'member_limit', limit: 1, openTickets: [] });
});

it('two attempts that both read the row before either recorded a thread: one thread, and the nonce alone keeps it to one welcome', async () => {
  const ticket = await reserve();
  const signal = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };
  const bAtCreate = signal();
  const aPosted = signal();
  let b: Promise<{ channelId: string }> | undefined;
  let bThread: string | undefined;
  // B read the row (no channel yet), then creates its thread only after A recorded its own and posted.
  const bDeps = deps({
    discord: {
      createPrivateThread: async (parentId, name, reason) => {
        bAtCreate.resolve();
        await aPosted.promise;
        const made = await api.createPrivateThread(parentId, name, reason);
        bThread = made.id;
        return made;
      },
    },
  });
  const aDeps = deps({
    discord: {
      createPrivateThread: async (parentId, name, reason) => {
        b = provisionTicket(world.guild.id, ticket.number, null, bDeps);
        await bAtCreate.promise;
        return api.createPrivateThread(parentId, name, reason);
      },
      postMessage: async (channelId, body) => {
        const posted = await api.postMessage(channelId, body);
        aPosted.resolve();
        return posted;
      },
    },
  });
  const a = await provisionTicket(world.guild.id, ticket.number, null, aDeps);
  const bResult = await b!;
  expect(bResult.channelId).toBe(a.channelId);
  // B's own thread lost the race for the row and was deleted; B joined A's.
  expect(bThread).toBeDefined();
  expect(bThread).not.toBe(a.channelId);
  expect(discord.state.channels.has(bThread!)).toBe(false);
  // Both posted the welcome (B had no recorded channel to look in first); Discord's nonce made it one.
  expect(discord.requests(`POST /channels/${a.channelId}/messages`)).toHaveLength(2);
  const welcomes = welcomesIn(a.channelId);
  expect(welcomes).toHaveLength(1);
  expect(await store.getTicket(world.guild.id, ticket.number)).toMatchObject({ status: 'open', channelId: a.channelId, welcomeMessageId: welcomes[0].id });
  expect(threadsOf(ticket.openerId).map((t) => t.id)).toEqual([a.channelId]);
});
