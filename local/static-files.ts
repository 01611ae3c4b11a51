import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * Serves the dashboard front end from `root` (CloudFront + S3 on AWS). Unknown paths without an
 * extension get index.html so client-side routes work; paths outside `root` are refused.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad_path', message: 'Invalid path encoding.' }));
    return;
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad_path', message: 'Invalid path.' }));
    return;
  }
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) file = join(file, 'index.html');
  else if (!info) {
    if (extname(rel)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: `No such file: /${rel}` }));
      return;
    }
    file = join(root, 'index.html');
  }
  const data = await readFile(file).catch(() => null);
  if (!data) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: 'Not found.' }));
    return;
  }
  res
    .writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'content-security-policy': "default-src 'self'; img-src 'self' data: https://cdn.discordapp.com; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    })
    .end(data);
}
