/**
 * The live page's server: 127.0.0.1 only. `/` is the latest page, `/events` a server-sent event
 * stream of LiveMessages. A page that connects late gets the latest DAG, output and status
 * messages replayed, so it shows what an early one shows.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveMessage } from './messages.ts';

const WAITING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>featureflow live</title></head>
<body><p>starting the run…</p><script>new EventSource('/events').onmessage=function(e){if(JSON.parse(e.data).type==='reload')location.reload();};</script></body></html>`;

export class LiveServer {
  private page = WAITING_PAGE;
  private readonly clients = new Set<ServerResponse>();
  /** the latest message of each kind (outputs by name), replayed to a page that connects */
  private readonly latest = new Map<string, LiveMessage>();
  private server: Server | undefined;

  /** Broadcast a message; a new page makes every open page reload. */
  publish(m: LiveMessage): void {
    if (m.type === 'page') {
      this.page = m.html;
      this.latest.clear();
      this.broadcast({ type: 'reload' });
      return;
    }
    if (m.type !== 'log') this.latest.set(m.type === 'output' ? `output:${m.name}` : m.type, m);
    this.broadcast(m);
  }

  get connected(): number {
    return this.clients.size;
  }

  private broadcast(m: LiveMessage | { type: 'reload' }): void {
    const frame = `data: ${JSON.stringify(m)}\n\n`;
    for (const c of this.clients) c.write(frame);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      for (const m of this.latest.values()) res.write(`data: ${JSON.stringify(m)}\n\n`);
      this.clients.add(res);
      req.on('close', () => this.clients.delete(res));
      return;
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(this.page);
      return;
    }
    // browsers ask for one unprompted; the page has none
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  /** Listen on 127.0.0.1:port (0: any free port); resolves with the page's URL. */
  listen(port: number): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is in use: choose another with --port`) : err),
      );
      server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
    });
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    this.clients.clear();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
