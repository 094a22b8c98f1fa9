/** Bundles a test page with esbuild and serves it from its own origin (cross-origin to the engine, like the app). */
import http from 'node:http';
import { build } from 'esbuild';

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function servePage(entry: string): Promise<PageServer> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', write: false, platform: 'browser', target: 'es2022', logLevel: 'silent' });
  const js = out.outputFiles[0]?.text ?? '';
  const html = '<!doctype html><meta charset="utf-8"><title>t</title><script type="module" src="/bundle.js"></script>';
  const server = http.createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(js);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
