/**
 * Synthetic ticket conversations for the transcript benchmark, as raw Discord API messages (the
 * shape REST returns), so Deskwire and the comparison library render the very same input.
 */
import type { APIMessage, APIUser } from 'discord-api-types/v10';

export const BENCH_GUILD = { id: '900000000000000001', name: 'Bench Guild' };
export const BENCH_CHANNEL = { id: '910000000000000001', name: 'ticket-0001' };

const USERS: APIUser[] = Array.from({ length: 8 }, (_, i) => ({
  id: String(920000000000000001n + BigInt(i)),
  username: `user${i}`,
  global_name: i % 2 ? `User ${i}` : null,
  avatar: i % 3 === 0 ? null : `a1b2c3d4e5f60718293a4b5c6d7e8f9${i}`,
  discriminator: '0',
  bot: i === 7,
}));

const SNIPPETS = [
  'Hi, my **order #4411** has not arrived yet, can you check?',
  'Sure <@920000000000000001>, looking into it now. _One moment_ please.',
  'The tracking page says `status: pending` since ~~Monday~~ Tuesday.',
  'Here is the log:\n```js\nconst order = await api.orders.get(4411);\nconsole.log(order.status);\n```',
  '> it was supposed to ship yesterday\nthat is what the mail said',
  'Steps I tried:\n- refreshed the page\n- logged out and in\n1. cleared the cache\n2. tried another browser',
  'See https://example.com/help/shipping?lang=en and [the FAQ](https://example.com/faq) for details.',
  '||spoiler: it was the warehouse|| sorry about that <:blob:930000000000000001>',
  '# Update\nThe carrier confirmed a delay of __two days__. <@&940000000000000001> FYI',
  'Thanks! That helps a lot 👍 <t:1763700000:R>',
];

/**
 * Who writes message `i`: a ticket's people (the opener, two staff, now and then the bot) in runs
 * of one to three messages, as conversations go.
 */
const SPEAKERS = [0, 0, 1, 0, 1, 1, 0, 2, 2, 0, 7, 1, 0, 0, 0, 1];
const speaker = (i: number) => USERS[SPEAKERS[i % SPEAKERS.length]!]!;

/** `n` messages: markdown, mentions, replies, reactions; an image every 10th, an embed every 25th. */
export function syntheticMessages(n: number): APIMessage[] {
  const start = Date.parse('2026-11-01T12:00:00Z');
  const out: APIMessage[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(((BigInt(start - 1_420_070_400_000 + i * 1000) << 22n) + BigInt(i % 4096)));
    const author = speaker(i);
    const m: APIMessage = {
      id,
      channel_id: BENCH_CHANNEL.id,
      author,
      content: `${SNIPPETS[i % SNIPPETS.length]} (${i})`,
      timestamp: new Date(start + i * 1000).toISOString(),
      edited_timestamp: i % 13 === 0 ? new Date(start + i * 1000 + 500).toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: i % 10 === 1 ? [USERS[0]!] : [],
      mention_roles: i % 10 === 8 ? ['940000000000000001'] : [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
    };
    if (i % 10 === 5) {
      m.attachments.push({ id: String(950000000000000000n + BigInt(i)), filename: `screenshot-${i}.png`, size: 48_213, url: `https://cdn.discordapp.com/attachments/${BENCH_CHANNEL.id}/${950000000000000000n + BigInt(i)}/screenshot-${i}.png`, proxy_url: `https://media.discordapp.net/attachments/${BENCH_CHANNEL.id}/${950000000000000000n + BigInt(i)}/screenshot-${i}.png`, content_type: 'image/png', width: 800, height: 600 });
    }
    if (i % 25 === 3) {
      m.embeds.push({ type: 'rich' as never, title: `Order #${4400 + i}`, description: 'Status **delayed** — expected in 2 days.', color: 0x5865f2, fields: [{ name: 'Carrier', value: 'DHL', inline: true }, { name: 'Tracking', value: '`JD014600003SE`', inline: true }], footer: { text: 'Shop bot' } });
    }
    if (i % 7 === 2 && i > 0) {
      m.message_reference = { type: 0, message_id: out[i - 1]!.id, channel_id: BENCH_CHANNEL.id, guild_id: BENCH_GUILD.id };
      m.type = 19;
    }
    if (i % 15 === 4) m.reactions = [{ count: 2, count_details: { burst: 0, normal: 2 }, me: false, me_burst: false, burst_colors: [], emoji: { id: null, name: '👍' } }];
    out.push(m);
  }
  return out;
}

export const BENCH_USERS = USERS;
