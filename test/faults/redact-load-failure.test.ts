// The redaction code loads lazily, on the first error answer. If that load fails (the app's own
// server is down while Cognito answers), nothing of the answer may be shown unredacted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CognitoError } from '../../src/errors.js';
import { Transport } from '../../src/internal/http.js';

vi.mock('../../src/internal/redact.js', () => {
  throw new Error('chunk failed to load');
});

let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ __type: 'NotAuthorizedException', message: 'bad password Pw-7f3a9c-SECRET' })),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

it('answers UnexpectedResponseException quoting nothing of the answer', async () => {
  const transport = new Transport({ endpoint, timeoutMs: 5_000, maxAttempts: 1, retryBaseDelayMs: 0 });
  const error = await transport
    .send('InitiateAuth', { AuthParameters: { USERNAME: 'ann', PASSWORD: 'Pw-7f3a9c-SECRET' } })
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(CognitoError);
  expect(error).toMatchObject({
    code: 'UnexpectedResponseException',
    status: 400,
    message:
      'Cognito answered HTTP 400 with an error that could not be read (the redaction code did not load)',
  });
});
