import { escapeHtml, renderMarkdown, type MentionNames } from './markdown';
import { displayName, INLINE_IMAGE_TYPES, type TranscriptAttachment, type TranscriptDocument, type TranscriptEmbed, type TranscriptMessage, type TranscriptSystemEntry, type TranscriptUser } from './model';

/** Inline assets: re-hosted avatars and small images as data URIs, so the page reads offline. */
export interface InlineAssets {
  avatars: Record<string, string>;
  images: Record<string, string>;
}

/**
 * The page's Content-Security-Policy (also sent as a header by the viewer): no script at all,
 * images only inline or from the viewer itself, styles only inline, no forms, no base changes.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
 */
export const TRANSCRIPT_CSP = "default-src 'none'; img-src data: 'self'; media-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Where the viewer puts the row's current rating when it came after the transcript was stored. */
export const RATING_SLOT = '—<!--dw:rating-->';

const CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#2e3338;--muted:#5c5e66;--line:#e3e5e8;--card:#f2f3f5;--accent:#5865f2;--mention:rgba(88,101,242,.15);--code:#f2f3f5;--warn:#da373c}
@media (prefers-color-scheme:dark){:root{--bg:#313338;--fg:#dbdee1;--muted:#949ba4;--line:#3f4147;--card:#2b2d31;--mention:rgba(88,101,242,.3);--code:#2b2d31;--warn:#f23f43}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{padding:16px 20px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 8px}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:14px}dt{color:var(--muted)}dd{margin:0}
ol.log{list-style:none;margin:0;padding:8px 0}.log>li{display:flow-root;padding:6px 20px 2px 72px;min-height:48px;overflow-wrap:anywhere}.log>li>i{float:left;margin-left:-52px}.log>.c{padding-top:0;min-height:0}.log>li:hover{background:var(--card)}.log>.d{opacity:.75;border-left:3px solid var(--warn)}
.log>li>i{width:40px;height:40px;border-radius:50%;display:flex;align-items:center;justify-content:center;color:#fff;font-weight:600;font-style:normal;background:hsl(var(--h,230) 45% 45%) center/cover}.log>li>i.i{color:transparent}
.log h6{margin:0;font-size:15px;display:flex;gap:8px;align-items:baseline}.tag{font-size:11px;background:var(--accent);color:#fff;border-radius:3px;padding:0 4px}time,.meta{color:var(--muted);font-size:12px;font-weight:400}
.log>.day{display:flex;min-height:0;align-items:center;gap:8px;color:var(--muted);font-size:12px;padding:8px 20px}.day::before,.day::after{content:"";flex:1;border-top:1px solid var(--line)}
.x p,.p{margin:2px 0}.sub{display:block;color:var(--muted)}blockquote{margin:2px 0;padding-left:10px;border-left:4px solid var(--line)}.log h3,.log h4,.log h5{margin:6px 0 2px}small{font-size:12px;color:var(--muted)}
code{background:var(--code);border-radius:3px;padding:0 3px;font:13px ui-monospace,SFMono-Regular,Menlo,monospace}pre.code{background:var(--code);border:1px solid var(--line);border-radius:4px;padding:8px;white-space:pre-wrap;margin:4px 0}pre.code code{padding:0}
mark{background:var(--mention);color:var(--accent);border-radius:3px;padding:0 2px}.sp{background:var(--fg);color:transparent;border-radius:3px}.sp:hover,.sp:focus{background:var(--card);color:inherit}
a{color:var(--accent)}.reply{font-size:13px;color:var(--muted)}.reply::before{content:"↱ "}.edited,.deleted-note{font-size:11px;color:var(--muted)}.deleted-note{color:var(--warn)}
details.edits{font-size:13px;color:var(--muted)}.att{margin:4px 0}.att img{max-width:min(400px,100%);max-height:300px;border-radius:4px;display:block}.att a,.file{display:inline-block;background:var(--card);border:1px solid var(--line);border-radius:4px;padding:6px 10px}
.embed{border-left:4px solid var(--c,var(--line));background:var(--card);border-radius:4px;padding:8px 12px;margin:4px 0;max-width:520px}.embed .t{font-weight:600}.embed small{display:block}.embed .f{font-size:13px}.embed .f b{display:block}
.rx{display:flex;gap:4px;flex-wrap:wrap}.rx span{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:0 6px;font-size:13px}.sticker{font-size:13px;color:var(--muted)}
.log>.sys{min-height:0;padding:4px 20px 4px 72px;color:var(--muted);font-size:14px}.sys b{color:var(--fg)}footer{padding:12px 20px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
.warn{margin:10px 0 0;padding:8px 12px;border-left:4px solid var(--warn);background:var(--card);font-size:14px}`;

const fmtTime = (isoText: string) => `${isoText.slice(0, 10)} ${isoText.slice(11, 16)} UTC`;
const timeTag = (isoText: string) => `<time datetime="${isoText}">${fmtTime(isoText)}</time>`;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A stable hue per user for the initial badge. */
function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}

/**
 * Per-user CSS: an avatar (inline, once per user however many messages they wrote) or a hue for the
 * initial badge. Messages then only name the user's class.
 */
function userStyles(doc: TranscriptDocument, assets: InlineAssets): { css: string; cls: Map<string, string> } {
  const cls = new Map<string, string>();
  const rules: string[] = [];
  for (const id of Object.keys(doc.users)) {
    const c = `u${cls.size}`;
    cls.set(id, c);
    const src = assets.avatars[id];
    // A data: URI from our own re-hosting (base64 alphabet only): safe inside url().
    const archived = doc.users[id]!.avatar;
    // Past the page's inline budget, a re-hosted avatar comes from the archive beside the page
    // (`avatars/<snowflake>`, written by the build: safe inside url()).
    const url = src && /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(src) ? src : archived && /^avatars\/\d+$/.test(archived) ? archived : null;
    rules.push(url ? `.${c}{background-image:url(${url})}` : `.${c}{--h:${hue(id)}}`);
  }
  return { css: rules.join(''), cls };
}

function avatar(user: TranscriptUser | undefined, id: string | null, assets: InlineAssets, cls: Map<string, string>): string {
  const name = user ? (user.displayName ?? user.username) : '?';
  const initial = escapeHtml(Array.from(name.trim())[0]?.toUpperCase() ?? '?');
  const classes = [id ? cls.get(id) : undefined, id && (assets.avatars[id] || user?.avatar) ? 'i' : undefined].filter(Boolean).join(' ');
  // Class tokens are [a-z0-9] only: unquoted is valid HTML and this tag repeats on every message.
  return `<i${classes ? ` class=${classes.includes(' ') ? `"${classes}"` : classes}` : ''}>${initial}</i>`;
}

function attachmentHtml(a: TranscriptAttachment, assets: InlineAssets): string {
  const name = escapeHtml(a.filename);
  const inline = assets.images[a.id];
  if (inline) return `<div class="att"><img src="${escapeHtml(inline)}" alt="${name}" title="${name} (${sizeText(a.size)})"></div>`;
  // Larger images come from the archive beside the page (the viewer serves them; offline the name shows).
  if (a.path && a.contentType && INLINE_IMAGE_TYPES.has(a.contentType)) return `<div class="att"><img src="${escapeHtml(a.path)}" alt="${name}" loading="lazy"></div>`;
  if (a.path) return `<div class="att"><a href="${escapeHtml(a.path)}">📎 ${name}</a> <small>${sizeText(a.size)}</small></div>`;
  return `<div class="att"><span class="file">📎 ${name}</span> <small>${sizeText(a.size)} · ${escapeHtml(a.note ?? 'not archived')}</small></div>`;
}

const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

function embedHtml(e: TranscriptEmbed, names: MentionNames): string {
  const color = e.color !== null ? ` style="--c:#${e.color.toString(16).padStart(6, '0').slice(-6)}"` : '';
  const url = safeUrl(e.url);
  const title = e.title ? (url ? `<a class="t" href="${escapeHtml(url)}" rel="nofollow">${escapeHtml(e.title)}</a>` : `<div class="t">${escapeHtml(e.title)}</div>`) : '';
  const fields = e.fields.map((f) => `<div class="f"><b>${escapeHtml(f.name)}</b>${renderMarkdown(f.value, names)}</div>`).join('');
  return `<div class="embed"${color}>${e.author ? `<small>${escapeHtml(e.author)}</small>` : ''}${title}${e.description ? renderMarkdown(e.description, names) : ''}${fields}${e.footer ? `<small>${escapeHtml(e.footer)}</small>` : ''}</div>`;
}

/** Consecutive messages of one author within this time are grouped under one avatar and name, as Discord does. */
const GROUP_MS = 7 * 60_000;

interface RenderState {
  doc: TranscriptDocument;
  assets: InlineAssets;
  byId: Map<string, TranscriptMessage>;
  /** Messages something replies to: only they need an anchor. */
  anchors: Set<string>;
  cls: Map<string, string>;
  previous: TranscriptMessage | null;
}

function messageHtml(m: TranscriptMessage, st: RenderState): string {
  const { doc, assets } = st;
  const user = m.authorId ? doc.users[m.authorId] : undefined;
  const names: MentionNames = m.mentions;
  const prev = st.previous;
  const grouped = Boolean(prev && !m.replyTo && !m.deletedAt && !prev.deletedAt && prev.authorId === m.authorId && Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS);
  const parts: string[] = [];
  if (m.replyTo) {
    const target = st.byId.get(m.replyTo);
    const preview = target ? `<b>${escapeHtml(displayName(doc.users, target.authorId))}</b> ${escapeHtml(target.content.slice(0, 40))}` : 'a message that is not in this transcript';
    parts.push(`<div class="reply"><a href="#m-${m.replyTo}">${preview}</a></div>`);
  }
  if (!grouped) parts.push(`<h6>${escapeHtml(displayName(doc.users, m.authorId))}${user?.bot ? '<span class="tag">BOT</span>' : ''}<time>${m.createdAt.slice(11, 16)}</time></h6>`);
  const body = renderMarkdown(m.content, names);
  const edited = m.editedAt ? ` <small title="${fmtTime(m.editedAt)}">(edited)</small>` : '';
  // A single plain paragraph is the entry's own text; anything with blocks keeps a wrapper.
  const single = body.startsWith('<p>') && body.indexOf('</p>') === body.length - 4;
  if (single) parts.push(`${body.slice(3, -4)}${edited}`);
  else if (body || edited) parts.push(`<div class="x">${body}${edited}</div>`);
  if (m.edits.length) {
    parts.push(`<details class="edits"><summary>${m.edits.length} earlier version${m.edits.length === 1 ? '' : 's'}</summary>${m.edits.map((e) => `<div class="x">${renderMarkdown(e.content, names)} <small>until ${fmtTime(e.replacedAt)}</small></div>`).join('')}</details>`);
  }
  for (const a of m.attachments) parts.push(attachmentHtml(a, assets));
  for (const e of m.embeds) parts.push(embedHtml(e, names));
  for (const s of m.stickers) parts.push(`<div class="sticker">Sticker: ${escapeHtml(s.name)}</div>`);
  if (m.reactions.length) parts.push(`<div class="rx">${m.reactions.map((r) => `<span>${escapeHtml(r.emoji)} ${r.count}</span>`).join('')}</div>`);
  if (m.deletedAt) parts.push(`<div class="deleted-note">Deleted ${fmtTime(m.deletedAt)}</div>`);
  const classes = [grouped ? 'c' : '', m.deletedAt ? 'd' : ''].filter(Boolean).join(' ');
  const anchor = st.anchors.has(m.id) ? ` id="m-${m.id}"` : '';
  return `<li${classes ? ` class="${classes}"` : ''}${anchor}>${grouped ? '' : avatar(user, m.authorId, assets, st.cls)}${parts.join('')}</li>`;
}

/** One line for a system entry, e.g. "Ana claimed the ticket". */
export function describeSystemEntry(s: TranscriptSystemEntry, doc: Pick<TranscriptDocument, 'users'>): string {
  const who = s.actorId ? `<b>${escapeHtml(displayName(doc.users, s.actorId))}</b>` : 'Deskwire';
  const d = s.details;
  const target = typeof d.userId === 'string' ? `<b>${escapeHtml(displayName(doc.users, d.userId))}</b>` : typeof d.roleName === 'string' ? `<b>@${escapeHtml(d.roleName)}</b>` : '';
  const text = (v: unknown) => escapeHtml(String(v ?? ''));
  switch (s.event) {
    case 'opened': {
      const answers = Array.isArray(d.answers) ? d.answers : [];
      const form = answers.length ? `<dl>${answers.map((a) => `<dt>${escapeHtml(a.question)}</dt><dd>${escapeHtml(a.answer)}</dd>`).join('')}</dl>` : '';
      return `${who} opened the ticket${d.category ? ` in <b>${text(d.category)}</b>` : ''}.${form}`;
    }
    case 'claimed':
      return `${who} claimed the ticket.`;
    case 'unclaimed':
      return `${who} unclaimed the ticket.`;
    case 'transferred':
      return `${who} transferred the ticket to ${target}.`;
    case 'member-added':
      return `${who} added ${target}.`;
    case 'member-removed':
      return `${who} removed ${target}.`;
    case 'role-added':
      return `${who} gave ${target} access.`;
    case 'role-removed':
      return `${who} removed ${target}'s access.`;
    case 'priority':
      return `${who} set the priority to <b>${text(d.priority)}</b>.`;
    case 'renamed':
      return `${who} renamed the ticket to <b>${text(d.name)}</b>.`;
    case 'closed':
      return `${s.actorId ? who : 'Deskwire'} closed the ticket${s.actorId ? '' : ' after a period without activity'}.${d.reason ? ` Reason: ${text(d.reason)}` : ''}`;
    case 'reopened':
      return `${who} reopened the ticket.`;
    case 'rated':
      return `${who} rated the support ${'★'.repeat(Number(d.rating) || 0)}${'☆'.repeat(5 - (Number(d.rating) || 0))}${d.feedback ? `: ${text(d.feedback)}` : '.'}`;
  }
}

function headerHtml(doc: TranscriptDocument): string {
  const t = doc.ticket;
  const label = `#${String(t.number).padStart(4, '0')}`;
  const row = (k: string, v: string) => `<dt>${k}</dt><dd>${v}</dd>`;
  const minutes = Math.round((Date.parse(t.closedAt) - Date.parse(t.openedAt)) / 60_000);
  const duration = minutes < 60 ? `${minutes} min` : minutes < 2880 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 1440)} days`;
  return `<header><h1>Ticket ${label}${doc.guild.name ? ` · ${escapeHtml(doc.guild.name)}` : ''}</h1><dl>${[
    row('Category', escapeHtml(t.category.name)),
    row('Opened by', escapeHtml(displayName(doc.users, t.openerId))),
    row('Claimed by', t.claimedBy ? escapeHtml(displayName(doc.users, t.claimedBy)) : '—'),
    row('Opened', timeTag(t.openedAt)),
    row('Closed', `${timeTag(t.closedAt)}${t.closedBy ? ` by ${escapeHtml(displayName(doc.users, t.closedBy))}` : ' automatically'}`),
    row('Duration', duration),
    row('Messages', String(doc.stats.messages)),
    row('Close reason', t.closeReason ? escapeHtml(t.closeReason) : '—'),
    row('Rating', t.rating ? `${'★'.repeat(t.rating)}${'☆'.repeat(5 - t.rating)}` : RATING_SLOT),
  ].join('')}</dl>${
    doc.historyComplete
      ? ''
      : '<p class="warn" role="note">Discord’s message history of this ticket could not be read when it was archived (the channel was already gone or out of reach). This transcript shows what Deskwire saw live, and may miss messages.</p>'
  }</header>`;
}

/**
 * The transcript as one self-contained HTML page: inline CSS (light and dark), no script, a strict
 * CSP meta tag, avatars and small images inline, larger files linked relative to the page (the
 * viewer serves them beside it). Every user-supplied string is escaped.
 */
export function renderTranscriptHtml(doc: TranscriptDocument, assets: InlineAssets): string {
  const byId = new Map<string, TranscriptMessage>();
  const anchors = new Set<string>();
  for (const e of doc.entries) {
    if (e.kind !== 'message') continue;
    byId.set(e.id, e);
    if (e.replyTo) anchors.add(e.replyTo);
  }
  const { css, cls } = userStyles(doc, assets);
  const st: RenderState = { doc, assets, byId, anchors, cls, previous: null };
  const items: string[] = [];
  let day = '';
  for (const e of doc.entries) {
    const at = e.kind === 'message' ? e.createdAt : e.at;
    if (at.slice(0, 10) !== day) {
      day = at.slice(0, 10);
      items.push(`<li class="day">${day}</li>`);
      st.previous = null;
    }
    if (e.kind === 'message') {
      items.push(messageHtml(e, st));
      st.previous = e;
    } else {
      items.push(`<li class="sys">${describeSystemEntry(e, doc)} <time>${e.at.slice(11, 16)}</time></li>`);
      st.previous = null;
    }
  }
  const title = `Ticket #${String(doc.ticket.number).padStart(4, '0')}${doc.guild.name ? ` · ${escapeHtml(doc.guild.name)}` : ''}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${TRANSCRIPT_CSP}"><meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${CSS}${css}</style></head><body>${headerHtml(doc)}<main><ol class="log">${items.join('')}</ol></main><footer>Times in UTC. Transcript generated ${fmtTime(doc.generatedAt)} by Deskwire · format ${doc.format} v${doc.version}</footer></body></html>`;
}
