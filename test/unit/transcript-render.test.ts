import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocument, mergeHistory, type CollectedMessage } from '../../lambdas/shared/transcripts/collect';
import { renderMarkdown } from '../../lambdas/shared/transcripts/markdown';
import { renderTranscriptHtml, TRANSCRIPT_CSP } from '../../lambdas/shared/transcripts/render-html';
import type { LoggedMessage } from '../../lambdas/shared/tickets/live-log';
import type { Ticket } from '../../lambdas/shared/tickets/model';

const names = { users: { '200000000000000001': 'Ana <Admin>' }, roles: { '300000000000000001': 'Support & Co' }, channels: { '400000000000000001': 'general' } };
const md = (s: string) => renderMarkdown(s, names);

describe('Discord markdown → HTML', () => {
  it.each([
    ['**bold** *italic* _also_ __under__ ~~gone~~ ***both***', '<p><strong>bold</strong> <em>italic</em> <em>also</em> <u>under</u> <s>gone</s> <strong><em>both</em></strong></p>'],
    ['||spoiler|| `a <b> c`', '<p><span class="sp" tabindex="0">spoiler</span> <code>a &lt;b&gt; c</code></p>'],
    ['```ts\nconst x = "<b>";\n```', '<div class="p"><pre class="code" data-lang="ts"><code>const x = &quot;&lt;b&gt;&quot;;</code></pre></div>'],
    ['# Title\n## Sub\n### Small\n-# fine print', '<h3>Title</h3><h4>Sub</h4><h5>Small</h5><small class="sub">fine print</small>'],
    ['- one\n- two\n1. first\n2. second', '<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>'],
    ['> quoted **line**\nafter', '<blockquote><p>quoted <strong>line</strong></p></blockquote><p>after</p>'],
    ['>>> all\nof this', '<blockquote><p>all<br>of this</p></blockquote>'],
    ['[the *docs*](https://example.com/a_b?x=1&y=2) and https://example.com/path_x.', '<p><a href="https://example.com/a_b?x=1&amp;y=2" rel="nofollow">the <em>docs</em></a> and <a href="https://example.com/path_x" rel="nofollow">https://example.com/path_x</a>.</p>'],
    ['<@200000000000000001> <@&300000000000000001> <#400000000000000001> <@299999999999999999> @everyone', '<p><mark>@Ana &lt;Admin&gt;</mark> <mark>@Support &amp; Co</mark> <mark>#general</mark> <mark>@unknown-user</mark> <mark>@everyone</mark></p>'],
    ['<t:1700000000:R> <t:1700000000:d> <:blob:500000000000000001>', '<p><time datetime="2023-11-14T22:13:20.000Z">2023-11-14 22:13 UTC</time> <time datetime="2023-11-14T22:13:20.000Z">2023-11-14</time> :blob:</p>'],
    ['\\*not italic\\* snake_case_name', '<p>*not italic* snake_case_name</p>'],
  ])('%s', (source, html) => expect(md(source)).toBe(html));

  it('keeps every script, handler and dangerous link as text', () => {
    const nasty = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[x](https://e.com/" onmouseover="alert(1))',
      '`</code><script>alert(1)</script>`',
      '```\n</pre><script>alert(1)</script>\n```',
      '\u0000 0 \u0000 placeholder forgery',
      '<t:99999999999999:R>',
    ].join('\n');
    const html = md(nasty);
    // No tag carries a handler or a script URL; the markup people typed is visible text.
    expect(html).not.toMatch(/<script|<img|<[^>]*\son\w+=|href="(?!https?:)/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('[click](javascript:alert(1))');
    expect(html).not.toContain('\u0000');
    // Every tag in the output is one the renderer writes.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    for (const tag of tags) expect(['p', 'div', 'a', 'code', 'pre', 'br', 'span', 'mark', 'small', 'time', 'strong', 'em', 'u', 's', 'blockquote', 'ul', 'ol', 'li', 'h3', 'h4', 'h5']).toContain(tag);
  });
});

describe('links in transcripts', () => {
  it('never restores code inside a link target', () => {
    const html = md('[a](https://e.com/```x```) and <https://e.com/`y`>');
    expect(html).not.toMatch(/href="[^"]*</);
    expect(html).not.toContain('<a href="https://e.com/<');
    // The code still shows as code, outside any attribute.
    expect(html).toContain('<pre class="code"><code>x</code></pre>');
    expect(html).toContain('<code>y</code>');
  });

  it('never nests a link in a link', () => {
    expect(md('[https://a.example](https://b.example)')).toBe('<p><a href="https://b.example" rel="nofollow">https://a.example</a></p>');
    expect(md('[**see** <@200000000000000001>](https://b.example/x)')).toBe('<p><a href="https://b.example/x" rel="nofollow"><strong>see</strong> <mark>@Ana &lt;Admin&gt;</mark></a></p>');
  });

  it('links only what parses as an http(s) URL', () => {
    expect(md('[x](https://[::1)')).toBe('<p>[x](https://[::1)</p>');
    expect(md('see https://exa^mple.com and [y](https://a:b:c)')).toBe('<p>see https://exa^mple.com and [y](https://a:b:c)</p>');
    expect(md('http://')).toBe('<p>http://</p>');
    const html = md('[ok](https://e.com/a?b=1&c=2)');
    expect(html).toBe('<p><a href="https://e.com/a?b=1&amp;c=2" rel="nofollow">ok</a></p>');
    const anchors = [...html.matchAll(/<a /g)];
    expect(anchors).toHaveLength(1);
  });
});

/** A small, fixed conversation: every kind of entry the transcript knows. */
function goldenInput() {
  const guildId = '100000000000000001';
  const channelId = '110000000000000001';
  const t0 = Date.parse('2026-11-01T12:00:00Z');
  const ana = { id: '200000000000000001', username: 'ana', globalName: 'Ana <Admin>', avatar: 'abc', bot: false };
  const bo = { id: '200000000000000002', username: 'bo', globalName: null, avatar: null, bot: false };
  const bot = { id: '200000000000000009', username: 'Deskwire', globalName: null, avatar: null, bot: true };
  const msg = (id: string, author: LoggedMessage['author'], content: string, at: number, over: Partial<CollectedMessage> = {}): CollectedMessage => ({
    guildId, channelId, messageId: id, author, content, createdAt: at, editedAt: null, edits: [], deletedAt: null, attachments: [], embeds: [], stickers: [], replyTo: null,
    mentions: { users: [], roles: [], channels: [] }, reactions: [], ...over,
  });
  const log: LoggedMessage[] = [
    msg('1300000000000000003', bo, 'my **order** 123 is late <script>alert(1)</script>', t0 + 60_000, { edits: [{ content: 'my order is late', replacedAt: t0 + 90_000 }], editedAt: t0 + 90_000 }),
    msg('1300000000000000005', bo, 'wrong screenshot', t0 + 180_000, { deletedAt: t0 + 200_000, attachments: [{ id: '1400000000000000002', filename: 'old.png', size: 2048, url: 'https://cdn.discordapp.com/x', contentType: 'image/png', width: 10, height: 10 }] }),
  ];
  const history: CollectedMessage[] = [
    msg('1300000000000000001', bot, '', t0 + 1000, { embeds: [{ title: 'Ticket #0007', description: 'A member of staff will be with you shortly.', color: 0x5865f2, fields: [{ name: 'Category', value: 'Billing', inline: true }] }] }),
    msg('1300000000000000003', bo, 'my **order** 123 is late <script>alert(1)</script>', t0 + 60_000, { editedAt: t0 + 90_000 }),
    msg('1300000000000000004', ana, 'Sorry <@200000000000000002>! Refund sent, see ||code 42||', t0 + 120_000, {
      replyTo: '1300000000000000003',
      mentions: { users: [{ id: '200000000000000002', name: 'bo' }], roles: [], channels: [] },
      attachments: [{ id: '1400000000000000001', filename: 'receipt <1>.pdf', size: 52_000, url: 'https://cdn.discordapp.com/y', contentType: 'application/pdf', width: null, height: null }],
      reactions: [{ emoji: '👍', count: 2 }],
      stickers: [{ id: '1500000000000000001', name: 'thanks', formatType: 1 }],
    }),
  ];
  const ticket: Ticket & { closedAt: number } = {
    guildId, number: 7, categoryId: 'billing', openerId: bo.id, status: 'closed', mode: 'thread', channelId, welcomeMessageId: '1300000000000000001',
    answers: [{ questionId: 'q1', label: 'Order number', value: '123' }], aboutMessageUrl: null, claimedBy: ana.id, priority: 'high',
    createdAt: t0, lastActivityAt: t0 + 120_000, closedAt: t0 + 3_600_000, closedBy: ana.id, closeReason: 'Refunded', rating: null, feedback: null,
  };
  return buildDocument({
    ticket,
    category: { id: 'billing', name: 'Billing' },
    guildName: 'Acme & Sons',
    messages: mergeHistory(log, history),
    trail: [
      { guildId, number: 7, at: t0 + 30_000, event: 'claimed', actorId: ana.id, details: {} },
      { guildId, number: 7, at: t0 + 40_000, event: 'member-added', actorId: ana.id, details: { userId: '200000000000000003' } },
      { guildId, number: 7, at: t0 + 50_000, event: 'priority', actorId: ana.id, details: { priority: 'high' } },
    ],
    knownUsers: { '200000000000000003': { id: '200000000000000003', username: 'cy', displayName: 'Cy', bot: false } },
    roleNames: {},
    channelNames: {},
    attachments: { '1400000000000000001': { path: 'attachments/1400000000000000001/receipt%20%3C1%3E.pdf', note: null }, '1400000000000000002': { path: null, note: 'no longer available on Discord' } },
    avatars: { [ana.id]: `avatars/${ana.id}` },
    generatedAt: t0 + 3_700_000,
    historyComplete: true,
  });
}

describe('a golden conversation', () => {
  const doc = goldenInput();

  it('is exactly the documented JSON', () => {
    const expected = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'transcripts', 'golden.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(expected);
  });

  it('warns on the page when Discord’s history could not be read at close', () => {
    expect(renderTranscriptHtml(doc, { avatars: {}, images: {} })).not.toContain('class="warn"');
    const partial = renderTranscriptHtml({ ...doc, historyComplete: false }, { avatars: {}, images: {} });
    expect(partial).toContain('<p class="warn" role="note">Discord’s message history of this ticket could not be read when it was archived');
  });

  it('renders a self-contained, script-free page in conversation order', () => {
    const html = renderTranscriptHtml(doc, { avatars: { '200000000000000001': 'data:image/png;base64,AAAA' }, images: {} });
    expect(html.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${TRANSCRIPT_CSP}">`);
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    // Nothing is loaded from anywhere: no external src/href but the links people posted.
    expect(html).not.toMatch(/<script|<link |src="http|url\(http|@import/);
    expect(html).toContain('<title>Ticket #0007 · Acme &amp; Sons</title>');
    // Entries in time order under a day separator: opened, welcome, claimed, member added, priority, messages, close.
    const log = html.slice(html.indexOf('<ol class="log">'), html.indexOf('</ol></main>'));
    const order = ['<li class="day">2026-11-01</li>', 'opened the ticket', 'Ticket #0007', 'claimed the ticket', 'added <b>Cy</b>', 'set the priority', 'my <strong>order</strong>', 'Refund sent', 'wrong screenshot', 'closed the ticket'];
    const positions = order.map((text) => log.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(html).toContain('<li class="sys"><b>bo</b> opened the ticket in <b>Billing</b>.<dl><dt>Order number</dt><dd>123</dd></dl> <time>12:00</time></li>');
    expect(html).toContain('<b>Ana &lt;Admin&gt;</b> added <b>Cy</b>.');
    expect(html).toContain('<b>Ana &lt;Admin&gt;</b> closed the ticket. Reason: Refunded');
    // The edited message: its author's badge, name and time, the current text, a marker, the earlier version; user markup stays text.
    expect(html).toMatch(/<li id="m-1300000000000000003"><i class=u\d+>B<\/i><h6>bo<time>12:01<\/time><\/h6>my <strong>order<\/strong> 123 is late &lt;script&gt;alert\(1\)&lt;\/script&gt; <small title="2026-11-01 12:01 UTC">\(edited\)<\/small>/);
    expect(html).toContain('<summary>1 earlier version</summary><div class="x"><p>my order is late</p> <small>until 2026-11-01 12:01 UTC</small></div>');
    // Reply, mention by name, spoiler, attachment link, reaction, sticker; the avatar inline once, as CSS.
    expect(html).toContain('<div class="reply"><a href="#m-1300000000000000003"><b>bo</b> my **order** 123 is late &lt;script&gt;alert(1</a></div>');
    expect(html).toContain('Sorry <mark>@bo</mark>! Refund sent, see <span class="sp" tabindex="0">code 42</span>');
    expect(html).toContain('<div class="att"><a href="attachments/1400000000000000001/receipt%20%3C1%3E.pdf">📎 receipt &lt;1&gt;.pdf</a> <small>50.8 KB</small></div>');
    expect(html).toContain('<div class="rx"><span>👍 2</span></div>');
    expect(html).toContain('<div class="sticker">Sticker: thanks</div>');
    expect(html.match(/data:image\/png;base64,AAAA/g)).toHaveLength(1);
    expect(html).toMatch(/\.u\d+\{background-image:url\(data:image\/png;base64,AAAA\)\}/);
    expect(html).toMatch(/<i class="u\d+ i">A<\/i><div class="reply">.*?<\/div><h6>Ana &lt;Admin&gt;<time>12:02<\/time><\/h6>/);
    // The deleted message keeps its text, a marker and its lost file's note; it starts its own group.
    expect(html).toMatch(/<li class="d"><i class=u\d+>B<\/i><h6>bo<time>12:03<\/time><\/h6>wrong screenshot<div class="att"><span class="file">📎 old\.png<\/span> <small>2\.0 KB · no longer available on Discord<\/small><\/div><div class="deleted-note">Deleted 2026-11-01 12:03 UTC<\/div><\/li>/);
    // The embed with its colour and field.
    expect(html).toContain('<div class="embed" style="--c:#5865f2"><div class="t">Ticket #0007</div><p>A member of staff will be with you shortly.</p><div class="f"><b>Category</b><p>Billing</p></div></div>');
  });
});
