import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the S3 stand-in received. */
export interface S3Request {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A stand-in for S3 on 127.0.0.1 (a free port) that accepts every request (200, an ETag, no body)
 * and records it, for checking what the AWS SDK v3 signs with the credentials we hand it. `url`
 * has no trailing slash: it is an S3 client's `endpoint`.
 */
export async function startS3StandIn(): Promise<{
  url: string;
  received: S3Request[];
  close(): Promise<void>;
}> {
  const received: S3Request[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { etag: '"0123456789abcdef"', 'content-length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
