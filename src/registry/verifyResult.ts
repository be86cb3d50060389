import type { Attachment } from './attachments';
import type { KeylessInfo } from './keyless';
import type { Verdict } from './verify';

/** The outcome of verifying one signature layer of an attachment (src/registry/verifyAttachment.ts). */
export interface LayerVerification {
  attachment: Attachment;
  layerDigest: string;
  /** The verdict with the user's key (absent for a layer that carries neither a signature nor an envelope). */
  verdict?: Verdict;
  keyless?: KeylessInfo;
  /** The line shown for this layer. */
  text: string;
}
