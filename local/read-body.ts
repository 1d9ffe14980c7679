import type http from 'node:http';

/** A body over the limit a caller set; the request is drained, not kept. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/**
 * The whole body of a request to one of the local servers (the API stand-in, the
 * Cognito front). With `maxBytes`, a longer body rejects with BodyTooLarge.
 * @default maxBytes unlimited
 */
export function readBody(request: http.IncomingMessage, maxBytes = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () =>
      size > maxBytes ? reject(new BodyTooLarge(`The body is over ${maxBytes} bytes.`)) : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}
