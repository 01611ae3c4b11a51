import { createServer } from 'node:net';
import { startLocalStack } from '../../local/stack';
import { testEndpoints, uniquePrefix } from '../support/aws';

describe('local HTTP server', () => {
  it('answers an unexpected error with a generic 500 JSON body and logs the detail', async () => {
    const logged: Array<[string, unknown]> = [];
    const stack = await startLocalStack({
      prefix: uniquePrefix('http'),
      endpoints: testEndpoints(),
      env: {},
      sweepIntervalMs: null,
      pollers: false,
      onError: (where, err) => logged.push([where, err]),
      extraRoutes: { 'POST /boom': async () => Promise.reject(new Error('ENOENT: /home/secret/path.json')) },
    });
    try {
      const res = await fetch(`${stack.url}/boom`, { method: 'POST' });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'internal_error', message: 'Something went wrong on the local server; see its log.' });
      expect(logged).toEqual([['http', expect.objectContaining({ message: 'ENOENT: /home/secret/path.json' })]]);
    } finally {
      await stack.close();
    }
  });

  it('names the port and PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startLocalStack({ prefix: uniquePrefix('http'), endpoints: testEndpoints(), env: {}, port, sweepIntervalMs: null, pollers: false })).rejects.toThrow(
        `Port ${port} is in use — set PORT to a free port (PORT=0 picks one).`,
      );
    } finally {
      taken.close();
    }
  });
});
