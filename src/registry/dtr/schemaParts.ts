import * as z from 'zod';
import { isVerifiableDigest } from '../digest';

/** Small zod parts shared by the DTR schemas (`schemas.ts` and `adminSchemas.ts`). */

export const str = z.string();
/**
 * A content digest as DTR sends it, checked where it enters: only sha256 / sha512 in the OCI grammar is kept, and
 * anything else (a digest carrying Markdown, a link, a line break) reads as absent, so it never reaches a tooltip, a
 * request path or a confirmation.
 */
export const digest = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && isVerifiableDigest(v) ? v : undefined));
export const optStr = z.string().optional();
export const optBool = z.boolean().optional();
export const optInt = z.number().int().optional();

/** How a tag came to be: promoted by a policy, or mirrored. */
export const promotion = z.object({ promotionPolicyID: optStr, sourceRepository: optStr, sourceTag: optStr });
export const mirroring = z.object({ mirroringPolicyID: optStr, digest, remoteRepository: optStr, remoteTag: optStr });
