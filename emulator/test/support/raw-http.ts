/**
 * One HTTP/1.1 request written by hand on a socket, for request targets that fetch() refuses to send (`//x:99999/`,
 * `http://[`): what a hostile client can put on the wire, not what a well-behaved library would.
 */
import net from 'node:net';

/**
 * Sends `GET <target> HTTP/1.1` and resolves with the status code of the answer.
 * @param origin - `http://host:port` of the server
 * @param target - the request target, sent as it is
 */
export async function rawGetStatus(origin: string, target: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise<number>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`no status line from ${origin} for ${target}: ${JSON.stringify(head.slice(0, 80))}`)));
  });
}
