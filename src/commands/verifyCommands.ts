import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Attachment } from '../registry/attachments';
import type { AttachmentNode } from '../tree/nodes';
import { withProgress } from './adminOps';
import type { CommandContext } from './context';
import { tagTarget } from './panelCommands';
import { trustKeyForSession } from './trustedKey';

const MAX_KEY_FILE = 64 * 1024;

/** What can carry a signature the key can check (the verification itself runs in the provider's bundle). */
function mayBeSigned(a: Attachment): boolean {
  return a.kind === 'signature' || a.kind === 'attestation' || (a.kind === 'sbom' && !!a.predicateType);
}

/** A quick look at pasted text; the key itself is parsed where it is used. */
function pemProblem(text: string): string | undefined {
  if (/PRIVATE KEY-----/.test(text)) return vscode.l10n.t('This is a private key; give the public key (cosign.pub) instead');
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) return vscode.l10n.t('Paste a PEM public key (-----BEGIN PUBLIC KEY----- …)');
  return undefined;
}

/**
 * Asks for the public key: a PEM file, or PEM text pasted into the input. The key is used for this verification only
 * and is not stored (a public key is no secret, but nothing asks to keep it).
 */
async function askKey(): Promise<string | undefined> {
  const file = vscode.l10n.t('Choose a PEM file…');
  const paste = vscode.l10n.t('Paste a PEM public key…');
  const how = await vscode.window.showQuickPick([file, paste], { title: vscode.l10n.t('Public key to verify with (cosign.pub)') });
  if (!how) return undefined;
  let text: string | undefined;
  if (how === file) {
    const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Public key (PEM)'), canSelectMany: false, filters: { [vscode.l10n.t('PEM keys')]: ['pub', 'pem', 'crt', 'key'], [vscode.l10n.t('All files')]: ['*'] } });
    if (!picked?.[0]) return undefined;
    const stat = await fs.stat(picked[0].fsPath);
    if (stat.size > MAX_KEY_FILE) throw new Error(vscode.l10n.t('{0} is too large to be a public key', picked[0].fsPath));
    text = await fs.readFile(picked[0].fsPath, 'utf8');
    const problem = pemProblem(text);
    if (problem) throw new Error(problem);
  } else {
    text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Paste the PEM public key'),
      placeHolder: '-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----',
      ignoreFocusOut: true,
      validateInput: (v) => pemProblem(v),
    });
    if (!text) return undefined;
  }
  return text;
}

function isAttachmentNode(arg: unknown): arg is AttachmentNode {
  return !!arg && typeof arg === 'object' && (arg as { type?: unknown }).type === 'attachment' && typeof (arg as { subject?: unknown }).subject === 'string';
}

/**
 * Verify Signature…: checks the cosign signatures and attestations attached to a tag (or one attached item, against
 * the digest it is attached to: a platform's for an index) with a key the user gives.
 */
export async function verifySignature(ctx: CommandContext, arg?: unknown): Promise<void> {
  const node = isAttachmentNode(arg) ? arg : undefined;
  const target = node ? { registryName: node.registryName, repository: node.tagNode.repository, tag: node.tagNode.tag.name } : await tagTarget(ctx, arg);
  const provider = ctx.manager.get(target.registryName)?.provider;
  if (!provider?.listAttachments || !provider.getTagDetails || !provider.verifyAttachments) {
    throw new Error(vscode.l10n.t('{0} cannot list what is attached to its images', target.registryName));
  }
  const pem = await askKey();
  if (!pem) return;
  const name = `${target.repository}:${target.tag}`;
  const results = await withProgress(vscode.l10n.t('Verifying the signatures of {0}…', name), async (signal) => {
    if (node) return { digest: node.subject, lines: await provider.verifyAttachments!(target.repository, node.subject, [node.attachment], pem, signal) };
    const details = await provider.getTagDetails!(target.repository, target.tag, signal);
    const list = await provider.listAttachments!(target.repository, details.digest, { signal });
    const candidates = list.items.filter(mayBeSigned);
    return { digest: details.digest, lines: candidates.length ? await provider.verifyAttachments!(target.repository, details.digest, candidates, pem, signal) : [] };
  });
  // The attachment panel checks the signatures it shows with this key for the rest of the session (memory only).
  trustKeyForSession(pem);
  ctx.webviews.recheckSignatures();
  if (!results.lines.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No cosign signature or attestation with a signature is attached to {0}', name));
    return;
  }
  const fingerprint = results.lines.map((l) => (l.verdict && 'fingerprint' in l.verdict ? l.verdict.fingerprint : undefined)).find(Boolean) ?? '';
  ctx.channel.info(`Verification of ${name} (${results.digest}) with key ${fingerprint}:`);
  for (const l of results.lines) ctx.channel.info(`  ${l.attachment.label} ${l.layerDigest}: ${l.text}`);
  const verified = results.lines.filter((l) => l.verdict?.status === 'verified').length;
  const summary =
    verified === results.lines.length
      ? vscode.l10n.t('{0}: all {1} signatures verified by key {2}', name, results.lines.length, fingerprint)
      : vscode.l10n.t('{0}: {1} of {2} signatures verified by key {3}; see the log for each', name, verified, results.lines.length, fingerprint);
  const show = vscode.l10n.t('Show Details');
  const pick = verified === results.lines.length ? await vscode.window.showInformationMessage(summary, show) : await vscode.window.showWarningMessage(summary, show);
  if (pick === show) ctx.channel.show(true);
}
