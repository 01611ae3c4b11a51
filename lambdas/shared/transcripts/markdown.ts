/**
 * Discord markdown → HTML for transcripts, escaping first: user text is HTML-escaped before any
 * markup is added, and every tag in the output is one this module writes, so no message can inject
 * markup or script. Links are kept only for http(s) URLs.
 *
 * Covers what Discord renders: bold, italics, underline, strikethrough, spoilers, inline code and
 * fenced code blocks, block quotes (`>` and `>>>`), headings (`#`, `##`, `###`), subtext (`-#`),
 * lists, masked and bare links, user / role / channel mentions, `@everyone`/`@here`, timestamps,
 * custom emoji (as `:name:`; nothing is loaded from Discord's CDN) and backslash escapes.
 *
 * @see https://support.discord.com/hc/en-us/articles/210298617-Markdown-Text-101-Chat-Formatting-Bold-Italic-Underline
 * @see https://discord.com/developers/docs/reference#message-formatting
 */

export interface MentionNames {
  users: Record<string, string>;
  roles: Record<string, string>;
  channels: Record<string, string>;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

// Placeholders are delimited by characters stripped from the input, so a message cannot forge one.
const P = '\u0000';
const STRIP = /[\u0000\u0001]/g;

/** Timestamp styles; rendered in UTC so a transcript reads the same everywhere. */
function formatTimestamp(seconds: number, style: string): string {
  const isoText = new Date(seconds * 1000).toISOString();
  const date = isoText.slice(0, 10);
  const time = isoText.slice(11, 16);
  switch (style) {
    case 't':
      return `${time} UTC`;
    case 'T':
      return `${isoText.slice(11, 19)} UTC`;
    case 'd':
    case 'D':
      return date;
    default:
      return `${date} ${time} UTC`;
  }
}

const UNESCAPE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * True when an (already escaped) URL is one the page may link to: it parses as a URL and is
 * http(s). The escaped text itself becomes the `href`, so it stays as the author wrote it.
 * @see https://developer.mozilla.org/en-US/docs/Web/API/URL/URL
 */
function linkTarget(escapedUrl: string): boolean {
  const raw = escapedUrl.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => UNESCAPE[e]!);
  if (!URL.canParse(raw)) return false;
  const { protocol } = new URL(raw);
  return protocol === 'http:' || protocol === 'https:';
}

class Renderer {
  private readonly slots: string[] = [];
  constructor(private readonly names: MentionNames) {}

  private hold(html: string): string {
    this.slots.push(html);
    return `${P}${this.slots.length - 1}${P}`;
  }

  restore(html: string): string {
    let out = html;
    // Held fragments may hold others (a mention inside a masked link's text): a few passes at most.
    for (let i = 0; i < 4 && out.includes(P); i++) out = out.replace(/\u0000(\d+)\u0000/g, (_, n: string) => this.slots[Number(n)] ?? '');
    return out;
  }

  render(source: string): string {
    let text = source.replace(STRIP, '').replace(/\r\n?/g, '\n');
    // 1. Code is literal: fenced blocks, then inline code.
    text = text.replace(/```(?:([A-Za-z0-9_+#.-]{1,30})\n)?\n?([\s\S]*?)```/g, (_, lang: string | undefined, code: string) =>
      this.hold(`<pre class="code"${lang ? ` data-lang="${escapeHtml(lang)}"` : ''}><code>${escapeHtml(code.replace(/\n$/, ''))}</code></pre>`),
    );
    text = text.replace(/``([^`][\s\S]*?)``|`([^`\n]+)`/g, (_, a: string | undefined, b: string | undefined) => this.hold(`<code>${escapeHtml((a ?? b)!.trim() || (a ?? b)!)}</code>`));
    // 2. Backslash escapes keep the next character literal.
    text = text.replace(/\\([*_~|`>#\-[\]()\\<:@.])/g, (_, c: string) => this.hold(escapeHtml(c)));
    // 3. Everything else is escaped before any markup is added.
    text = escapeHtml(text);
    return this.restore(this.blocks(text));
  }

  /** True when held fragments in `html` include a code block (which a <p> cannot contain). */
  private hasBlock(html: string): boolean {
    for (const [, n] of html.matchAll(/\u0000(\d+)\u0000/g)) if (this.slots[Number(n)]!.startsWith('<pre')) return true;
    return false;
  }

  /** Line-level structure: quotes, headings, subtext, lists, paragraphs. */
  private blocks(text: string): string {
    const out: string[] = [];
    const lines = text.split('\n');
    let para: string[] = [];
    let quote: string[] = [];
    let list: { ordered: boolean; items: string[] } | null = null;
    const flushPara = () => {
      if (para.length) {
        const html = this.inline(para.join('\n')).replace(/\n/g, '<br>');
        // A code block cannot sit in a <p>; the placeholder marks where one will be.
        out.push(this.hasBlock(html) ? `<div class="p">${html}</div>` : `<p>${html}</p>`);
      }
      para = [];
    };
    const flushQuote = () => {
      if (quote.length) out.push(`<blockquote>${this.blocks(quote.join('\n'))}</blockquote>`);
      quote = [];
    };
    const flushList = () => {
      if (list) out.push(`<${list.ordered ? 'ol' : 'ul'}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.ordered ? 'ol' : 'ul'}>`);
      list = null;
    };
    const flushAll = () => {
      flushPara();
      flushQuote();
      flushList();
    };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith('&gt;&gt;&gt; ')) {
        flushAll();
        quote = [line.slice(13), ...lines.slice(i + 1)];
        flushQuote();
        break;
      }
      const q = /^&gt; ?(.*)$/.exec(line);
      if (q) {
        flushPara();
        flushList();
        quote.push(q[1]!);
        continue;
      }
      flushQuote();
      const h = /^(#{1,3}) +(\S.*)$/.exec(line);
      if (h) {
        flushAll();
        out.push(`<h${h[1]!.length + 2}>${this.inline(h[2]!)}</h${h[1]!.length + 2}>`);
        continue;
      }
      const sub = /^-# +(\S.*)$/.exec(line);
      if (sub) {
        flushAll();
        out.push(`<small class="sub">${this.inline(sub[1]!)}</small>`);
        continue;
      }
      const li = /^\s*(?:([-*])|(\d{1,9})\.) +(\S.*)$/.exec(line);
      if (li) {
        flushPara();
        const ordered = li[2] !== undefined;
        if (list && list.ordered !== ordered) flushList();
        list ??= { ordered, items: [] };
        list.items.push(this.inline(li[3]!));
        continue;
      }
      flushList();
      para.push(line);
    }
    flushAll();
    return out.join('');
  }

  /** Inline markup on already-escaped text; `links: false` inside a masked link's label (no link in a link). */
  private inline(text: string, links = true): string {
    const { names } = this;
    let t = text;
    if (links) {
      // Masked links: the link text keeps its formatting (but holds no further link), the URL must be
      // http(s) and may not hold a placeholder (code would be restored inside the attribute).
      t = t.replace(/\[([^\]\n]{1,256})\]\(\s*(?:&lt;)?(https?:\/\/[^\s)\u0000]+?)(?:&gt;)?\s*\)/g, (match: string, label: string, url: string) =>
        linkTarget(url) ? this.hold(`<a href="${url}" rel="nofollow">${this.inline(label, false)}</a>`) : match,
      );
      // Bare links, and <links> that suppress embeds on Discord.
      t = t.replace(/&lt;(https?:\/\/[^\s\u0000]+?)&gt;|https?:\/\/[^\s\u0000]+/g, (match: string, wrapped: string | undefined) => {
        let url = wrapped ?? match;
        let tail = '';
        if (!wrapped) {
          const trimmed = /^(.*?)((?:[.,:;!?'")\]]|&quot;|&#39;|&gt;|&lt;)*)$/.exec(url)!;
          url = trimmed[1]!;
          tail = trimmed[2]!;
        }
        return linkTarget(url) ? this.hold(`<a href="${url}" rel="nofollow">${url}</a>`) + tail : match;
      });
    }
    t = t.replace(/&lt;@!?(\d{15,21})&gt;/g, (_, id: string) => this.hold(`<mark>@${escapeHtml(names.users[id] ?? 'unknown-user')}</mark>`));
    t = t.replace(/&lt;@&amp;(\d{15,21})&gt;/g, (_, id: string) => this.hold(`<mark>@${escapeHtml(names.roles[id] ?? 'unknown-role')}</mark>`));
    t = t.replace(/&lt;#(\d{15,21})&gt;/g, (_, id: string) => this.hold(`<mark>#${escapeHtml(names.channels[id] ?? 'unknown-channel')}</mark>`));
    t = t.replace(/@(everyone|here)\b/g, (_, who: string) => this.hold(`<mark>@${who}</mark>`));
    t = t.replace(/&lt;t:(-?\d{1,13})(?::([tTdDfFR]))?&gt;/g, (_, s: string, style: string | undefined) => {
      const seconds = Number(s);
      const d = new Date(seconds * 1000);
      if (Number.isNaN(d.getTime())) return this.hold(escapeHtml(s));
      return this.hold(`<time datetime="${d.toISOString()}">${escapeHtml(formatTimestamp(seconds, style ?? 'f'))}</time>`);
    });
    t = t.replace(/&lt;(a?):(\w{2,32}):(\d{15,21})&gt;/g, (_, _a: string, name: string) => this.hold(`:${name}:`));
    // Emphasis, strongest markers first so `***` and `__` are not read as single ones.
    t = t.replace(/\*\*\*([\s\S]+?)\*\*\*/g, '<strong><em>$1</em></strong>');
    t = t.replace(/\*\*([\s\S]+?)\*\*/g, '<strong>$1</strong>');
    t = t.replace(/__([\s\S]+?)__/g, '<u>$1</u>');
    t = t.replace(/\*(?=\S)([\s\S]*?\S)\*/g, '<em>$1</em>');
    t = t.replace(/(^|[^\w])_(?=\S)([\s\S]*?\S)_(?!\w)/g, '$1<em>$2</em>');
    t = t.replace(/~~([\s\S]+?)~~/g, '<s>$1</s>');
    t = t.replace(/\|\|([\s\S]+?)\|\|/g, '<span class="sp" tabindex="0">$1</span>');
    return t;
  }
}

/** Renders one message's Discord markdown to safe HTML. */
export function renderMarkdown(source: string, names: MentionNames): string {
  if (!source) return '';
  return new Renderer(names).render(source);
}
