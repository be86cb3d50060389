import * as z from 'zod';

/**
 * zod schemas for the legacy Docker Hub v1 index API (docker-hub-v1-index-api.txt). The index answers most calls
 * with a JSON string ("OK", "User Created", ""); only the image list has structure.
 */

/** One entry of `GET /v1/repositories/{ns}/{repo}/images`. */
export const v1Image = z.object({
  id: z.string().min(1),
  checksum: z.string().nullish(),
});
export const v1ImageList = z.array(v1Image);

/** Error bodies are not documented; read loosely to show the server's words. */
export const v1ErrorBody = z.union([z.string(), z.object({ error: z.string().nullish(), message: z.string().nullish() }).partial()]);

export type V1ImageJson = z.infer<typeof v1Image>;
