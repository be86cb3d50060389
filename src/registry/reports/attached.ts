import type { Attachment, AttachmentContent } from '../attachments';
import { UnsupportedError } from '../errors';
import { t } from '../l10n';
import { parseAttachedReport, type ParsedReport, type ReportTarget } from './index';

/** The first blob of an attachment's content that is a vulnerability report this extension reads. */
export function reportOfContent(content: AttachmentContent, attachment: Attachment, target: ReportTarget): ParsedReport {
  let failure: Error | undefined;
  for (const blob of content.blobs) {
    try {
      return parseAttachedReport(blob.body, target, blob.mediaType);
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }
  }
  throw failure ?? new UnsupportedError(t('The attachment {0} holds no readable report', attachment.digest));
}
