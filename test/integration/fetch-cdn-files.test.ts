import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchCdnFiles } from '../../lambdas/shared/adapters/fetch-cdn-files';

/** A loopback HTTP server that records the paths it was asked for. */
async function serve(handler: (path: string, res: import('node:http').ServerResponse) => void): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

describe('CDN downloads fetch only from Discord’s CDN', () => {
  let cdn: Awaited<ReturnType<typeof serve>>;
  let elsewhere: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    elsewhere = await serve((_path, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('internal metadata'));
    cdn = await serve((path, res) => {
      if (path.startsWith('/attachments/ok')) return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100, 1));
      if (path.startsWith('/attachments/big')) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(5000, 1));
      if (path.startsWith('/attachments/moved')) return void res.writeHead(302, { location: `${elsewhere.url}/latest/meta-data` }).end();
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await Promise.all([cdn, elsewhere].map((s) => new Promise((resolve) => s.server.close(resolve))));
  });

  it('downloads from the CDN, within the size cap', async () => {
    const files = new FetchCdnFiles(cdn.url);
    expect(await files.download(`${cdn.url}/attachments/ok/a.png`, 1000)).toEqual({ ok: true, data: Buffer.alloc(100, 1), contentType: 'image/png' });
    expect(await files.download(`${cdn.url}/attachments/big/b.bin`, 1000)).toEqual({ ok: false, reason: 'too-large' });
    expect(await files.download(`${cdn.url}/attachments/none/c.txt`, 1000)).toEqual({ ok: false, reason: 'gone' });
  });

  it('never fetches another host, whatever a message’s attachment URL says', async () => {
    const files = new FetchCdnFiles(cdn.url);
    for (const url of [`${elsewhere.url}/latest/meta-data`, 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd', 'not a url']) {
      expect(await files.download(url, 1000)).toEqual({ ok: false, reason: 'gone' });
    }
    // Discord's own hosts are the only ones by default (media proxy included).
    const discord = new FetchCdnFiles();
    expect(await discord.download(`${cdn.url}/attachments/ok/a.png`, 1000)).toEqual({ ok: false, reason: 'gone' });
    expect(elsewhere.hits).toEqual([]);
  });

  it('does not follow a redirect off the CDN', async () => {
    const files = new FetchCdnFiles(cdn.url);
    await expect(files.download(`${cdn.url}/attachments/moved/d.png`, 1000)).rejects.toThrow();
    expect(cdn.hits).toContain('/attachments/moved/d.png');
    expect(elsewhere.hits).toEqual([]);
  });
});
