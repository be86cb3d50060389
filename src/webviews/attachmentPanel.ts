import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { Attachment, AttachmentContent } from '../registry/attachments';
import type { SignatureVerification, SignatureView } from '../registry/attachments';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import type { SbomDocument } from '../registry/distribution/sbom';
import { saveTarget } from '../commands/saveTarget';
import { filterPackages, packagesCsv, packagesJson } from './attachmentExport';
import type { PanelSpec } from './panelHost';
import { attachmentRestore, type AttachmentTarget } from './attachmentTarget';

export { parseAttachmentRestore, type AttachmentTarget } from './attachmentTarget';

/**
 * Checks a signature against what the user trusts (a public key): signature verification plugs in here and its
 * result replaces the `unchecked` / `not-verified-offline` state the view starts with. Absent: nothing is verified.
 */
export type SignatureVerifier = (
  signature: SignatureView,
  content: AttachmentContent,
  signal: AbortSignal,
  where?: { provider: RegistryProvider; repository: string; subject: string },
) => Promise<SignatureVerification | undefined>;

function providerOf(manager: RegistryManager, name: string): RegistryProvider {
  const state = manager.get(name);
  if (!state) throw new NotFoundError(`No registry named "${name}" is configured any more`);
  const provider = state.provider;
  if (!provider) throw state.unavailable ?? new UnsupportedError(`${name} is not available`);
  if (!provider.listAttachments || !provider.getAttachmentContent) throw new UnsupportedError(`${name} cannot show attached artifacts`);
  return provider;
}

/** One signature, SBOM, attestation or artifact attached to an image. */
export function attachmentSpec(manager: RegistryManager, target: AttachmentTarget, opts: { initial?: Attachment; verify?: SignatureVerifier } = {}): PanelSpec {
  const t = { ...target };
  let initial = opts.initial;
  let sbom: SbomDocument | undefined;
  let choices: { label: string; digest: string }[] = [];
  const restore = () => attachmentRestore(t);
  return {
    kind: 'attachment',
    key: `${t.registryName}/${t.repository}@${t.subject}/${t.digest}#${t.layer ?? ''}`,
    title: `${initial?.label ?? t.kind}: ${t.repository}${t.tag ? ':' + t.tag : ''}`,
    restore: restore(),
    cacheContent: true,
    async load(signal) {
      const provider = providerOf(manager, t.registryName);
      let attachment = initial;
      initial = undefined;
      if (!attachment) {
        const list = await provider.listAttachments!(t.repository, t.subject, { signal });
        attachment = t.digest ? list.items.find((a) => a.digest === t.digest && (t.layer === undefined || a.layer?.index === t.layer)) : list.items.find((a) => a.kind === t.kind);
        if (!attachment) throw new NotFoundError(t.digest ? `${t.repository}@${t.digest} is no longer attached to ${t.subject}` : `No ${t.kind} is attached to ${t.platform ?? t.subject}`);
        t.digest = attachment.digest;
        t.layer = attachment.layer?.index;
      }
      const content = await provider.getAttachmentContent!(t.repository, attachment, signal);
      const view = content.view;
      if (view.body.type === 'signature' && opts.verify) {
        const checked = await opts.verify(view.body, content, signal, { provider, repository: t.repository, subject: t.subject });
        if (checked) view.body.verification = checked;
      }
      sbom = view.body.type === 'sbom' ? view.body.sbom : undefined;
      // The platforms of an index, to switch to the same kind of attachment of another platform.
      if (t.tag && !choices.length && provider.getTagDetails) {
        const d = await provider.getTagDetails(t.repository, t.tag, signal);
        if (d.isIndex) choices = [{ label: 'index', digest: d.digest }, ...d.platforms.filter((p) => p.digest).map((p) => ({ label: [p.os, p.architecture, p.variant].filter(Boolean).join('/'), digest: p.digest! }))];
      }
      return {
        type: 'init',
        panel: 'attachment',
        data: { registryName: t.registryName, repository: t.repository, tag: t.tag, platform: t.platform, choices: choices.map((c) => ({ label: c.label, current: c.digest === t.subject })), view },
        restore: restore(),
      };
    },
    async onMessage(msg, post, reload) {
      if (msg.type === 'selectChoice') {
        // Only a platform the page was offered: the page is untrusted and the digest goes into a request.
        const c = choices[msg.index];
        if (!c) throw new Error('That platform is not one of this image');
        Object.assign(t, { subject: c.digest, digest: '', layer: undefined, platform: c.label === 'index' ? undefined : c.label });
        await reload();
        return;
      }
      if (msg.type !== 'exportPackages') return;
      if (!sbom) throw new Error('Nothing to export');
      const rows = filterPackages(sbom, msg.search);
      const base = saveTarget(`${t.repository.replace(/[^\w.-]+/g, '_')}-${(t.tag ?? t.subject).replace(/[^\w.-]+/g, '_')}-sbom.${msg.format}`);
      const uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export {0} packages', rows.length),
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), base.name),
        filters: base.filters,
      });
      if (!uri) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: vscode.l10n.t('Export cancelled') });
        return;
      }
      const text = msg.format === 'csv' ? packagesCsv(rows) : packagesJson(sbom, rows);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: vscode.l10n.t('Exported {0} packages to {1}', rows.length, uri.fsPath) });
    },
  };
}
