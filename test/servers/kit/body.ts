/** Reading request bodies with a size limit. */
import type * as http from 'node:http';

/** The whole body; `tooLarge()` is thrown once more than `limit` bytes arrived. */
export async function readBody(req: http.IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
