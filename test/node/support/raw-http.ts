/**
 * HTTP/1.1 over one raw TCP socket, for tests about what happens to a connection (keep-alive after an error,
 * an honest close): fetch would hide both by opening new connections.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  readonly socket: Socket;
  /** Set when the server closed the connection: 'end' for an orderly close (FIN), or the error code (ECONNRESET). */
  closed: string | undefined;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    this.socket.on('end', () => {
      this.closed ??= 'end';
      this.wake();
    });
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      this.closed ??= error.code ?? error.message;
      this.wake();
    });
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async more(timeoutMs: number): Promise<void> {
    if (this.closed) throw new Error(`the connection was closed (${this.closed})`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no data within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Writes, ignoring EPIPE: a server may stop reading a body it refuses. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      this.socket.write(data, () => resolve());
    });
  }

  /** Waits until the buffer holds `bytes` bytes, or `marker` from `from` on; returns the marker's index. */
  private async until(from: number, marker: string | number, timeoutMs: number): Promise<number> {
    for (;;) {
      if (typeof marker === 'number') {
        if (this.buffer.length >= marker) return marker;
      } else {
        const at = this.buffer.indexOf(marker, from);
        if (at >= 0) return at;
      }
      await this.more(timeoutMs);
    }
  }

  /** Reads one response (Content-Length or chunked body). */
  async response(timeoutMs = 30_000): Promise<RawResponse> {
    const headerEnd = await this.until(0, '\r\n\r\n', timeoutMs);
    const [statusLine, ...lines] = this.buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let at = headerEnd + 4;
    const parts: Buffer[] = [];
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = await this.until(at, '\r\n', timeoutMs);
        const size = Number.parseInt(this.buffer.subarray(at, lineEnd).toString(), 16);
        await this.until(0, lineEnd + 2 + size + 2, timeoutMs);
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      await this.until(0, at + length, timeoutMs);
      parts.push(this.buffer.subarray(at, at + length));
      at += length;
    }
    const body = Buffer.concat(parts).toString();
    this.buffer = Buffer.from(this.buffer.subarray(at));
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  }

  /** Resolves when the server closes the connection, with how it closed it. */
  async closing(timeoutMs = 10_000): Promise<string> {
    while (!this.closed) await this.more(timeoutMs).catch(() => undefined);
    return this.closed;
  }

  destroy() {
    this.socket.destroy();
  }
}

/** A POST of a JSON string of `bytes` bytes in all, with Content-Length or chunked. */
export function oversizedPost(path: string, bytes: number, chunked: boolean): Buffer {
  const body = `"${'x'.repeat(bytes - 2)}"`;
  const head = `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n`;
  if (!chunked) return Buffer.from(`${head}Content-Length: ${bytes}\r\n\r\n${body}`);
  // Chunks of 16 KiB, as a streaming client would send them.
  const chunks: string[] = [];
  for (let i = 0; i < body.length; i += 16_384) {
    const piece = body.slice(i, i + 16_384);
    chunks.push(`${piece.length.toString(16)}\r\n${piece}\r\n`);
  }
  return Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n${chunks.join('')}0\r\n\r\n`);
}
