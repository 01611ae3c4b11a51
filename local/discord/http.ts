import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidFormBody, DiscordApiError } from './errors';

/** A file sent with a multipart request (`files[n]`), as Discord receives uploads. */
export interface UploadedFile {
  /** The form field, e.g. `files[0]`; its index is the attachment id used in `payload_json.attachments`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A request body after content-type decoding. */
export interface ParsedBody {
  /** JSON body, `payload_json` of a multipart body, or the fields of a form-urlencoded body. */
  json: any;
  files: UploadedFile[];
  raw: Buffer;
}

/** Discord caps request bodies (uploads included); anything bigger is rejected before parsing. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DiscordApiError(413, 40005, 'Request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes JSON, `multipart/form-data` (`payload_json` + `files[n]`, as `@discordjs/rest` sends
 * uploads) and `application/x-www-form-urlencoded` (OAuth2) bodies.
 *
 * @see https://discord.com/developers/docs/reference#uploading-files
 */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (raw.length === 0) return { json: undefined, files: [], raw };

  if (type === 'multipart/form-data') {
    // The fetch Request class ships a spec-compliant multipart parser, so no dependency is needed.
    const form = await new Request('http://emulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType! },
      body: raw,
    }).formData();
    let json: any = {};
    const files: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = parseJson(value);
        else json[field] = value;
      } else {
        files.push({
          field,
          filename: value.name || 'blob',
          contentType: value.type || 'application/octet-stream',
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json, files, raw };
  }

  if (type === 'application/x-www-form-urlencoded') {
    return { json: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [], raw };
  }

  return { json: parseJson(raw.toString('utf8')), files: [], raw };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    // Discord answers a body it cannot decode with 50035 and a `_misc` error, not a 500.
    throw invalidFormBody({ _misc: { code: 'JSON_DECODE_ERROR', message: 'Could not parse the request body as JSON.' } });
  }
}

/** What a route handler answers. */
export interface RouteResponse {
  status: number;
  /** Serialised as JSON unless `raw` is set. */
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export const json = (body: unknown, status = 200): RouteResponse => ({ status, body });
export const noContent = (): RouteResponse => ({ status: 204 });
export const redirect = (location: string): RouteResponse => ({ status: 302, headers: { location } });

/** Writes a handler's answer. */
export function writeResponse(res: ServerResponse, response: RouteResponse, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  let payload: Buffer | undefined;
  if (response.raw) {
    payload = response.raw;
    headers['content-type'] ??= response.contentType ?? 'application/octet-stream';
  } else if (response.status !== 204 && response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    headers['content-type'] = 'application/json';
  }
  if (payload) headers['content-length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}
