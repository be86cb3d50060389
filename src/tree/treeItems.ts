import { describeProblem } from '../config/schema';
import { contextValue, formatAge, formatBytes, formatPlatforms, formatScanCounts, shortDigest } from './format';
import type { AttachmentKind } from '../registry/attachments';
import { mayHoldReport } from '../registry/scanSources';
import { tagBadge } from './attachedNodes';
import type { AttachedNode, AttachmentNode, TreeNode } from './nodes';

/** A VS Code-free description of a tree item, so rendering is testable in plain Node. */
export interface TreeItemData {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Markdown tooltip (rendered as MarkdownString). */
  markdownTooltip?: boolean;
  contextValue: string;
  collapsible: 'none' | 'collapsed';
  /** Codicon id, optionally with a theme colour id after a `|`. */
  icon: string;
  command?: { command: string; title: string; arguments: unknown[] };
}

export interface RenderOptions {
  /** Active substring filter of a container, shown in its description. */
  filter?: string;
  /** Translates a UI string with `{0}` placeholders (the host passes `vscode.l10n.t`). */
  t?: (message: string, ...args: (string | number | boolean)[]) => string;
  now?: number;
}

/**
 * Escapes text for a Markdown tooltip, since registry-supplied strings must never become markup: every ASCII
 * punctuation character Markdown gives a meaning is backslash-escaped (so no link, image, emphasis, HTML, entity,
 * theme icon, `https://` or e-mail autolink can form), and line breaks and other control characters become spaces (so no new block can start).
 */
export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(/[\\`*_{}[\]()#+\-.!|<>~:&$=@^]/g, (c) => '\\' + c);
}

/** Registry text as an inline code span: literal inside, on one line, with no backtick to close it early. */
export function markdownCode(s: string): string {
  return '`' + oneLine(s).replace(/`/g, "'") + '`';
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

const format = (message: string, ...args: (string | number | boolean)[]): string => message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

export function toTreeItem(node: TreeNode, opts: RenderOptions = {}): TreeItemData {
  const t = opts.t ?? format;
  const filterNote = opts.filter ? t('filter: “{0}”', opts.filter) : undefined;
  switch (node.type) {
    case 'registry':
      return {
        id: node.id,
        label: node.registryName,
        description: [node.kindLabel ?? node.kind, hostOf(node.url), filterNote].filter(Boolean).join(' · '),
        tooltip: `${node.registryName}\n${node.url}\n${node.signedIn ? t('Signed in') : t('No stored credentials')}`,
        contextValue: contextValue('registry', 'refreshable', 'filterable', node.signedIn && 'signedIn', opts.filter && 'filtered', node.addsRepositories && 'addsRepositories'),
        collapsible: 'collapsed',
        icon: 'server',
      };
    case 'configError':
      return {
        id: node.id,
        label: node.problem.label,
        description: t('Invalid setting: {0}', describeProblem(node.problem)),
        tooltip: `registryExplorer.registries[${node.problem.index}]: ${describeProblem(node.problem)}\nFix the entry in your settings; the other registries keep working.`,
        contextValue: contextValue('configError', 'message'),
        collapsible: 'none',
        icon: 'error|errorForeground',
        command: { command: 'workbench.action.openSettingsJson', title: 'Open Settings', arguments: [] },
      };
    case 'namespace':
      return {
        id: node.id,
        label: node.namespace.name,
        description: [node.namespace.description, filterNote].filter(Boolean).join(' · ') || undefined,
        contextValue: contextValue('namespace', 'refreshable', 'filterable', opts.filter && 'filtered', ...(node.traits ?? []), !!node.repositoryOrderings?.length && 'sortableRepositories'),
        collapsible: 'collapsed',
        icon: 'organization',
      };
    case 'repository': {
      const r = node.repository;
      // Facts only some listings carry: visibility, stars, pulls, last update, then the provider's own.
      const facts = [
        ...new Set(
          [
            r.isPrivate === true ? 'private' : r.isPrivate === false ? 'public' : undefined,
            r.starCount !== undefined ? `★ ${validCount(r.starCount) ? r.starCount : '—'}` : undefined,
            r.pullCount !== undefined ? `${formatCount(r.pullCount)} pulls` : undefined,
            r.lastUpdated ? `updated ${formatAge(r.lastUpdated, opts.now)}` : undefined,
            ...(r.facts ?? []),
          ].filter((f): f is string => !!f),
        ),
      ];
      return {
        id: node.id,
        label: r.name,
        description: [r.description, ...facts, filterNote].filter(Boolean).join(' · ') || undefined,
        tooltip: [r.name, r.description, facts.join(' · ')].filter(Boolean).join('\n'),
        contextValue: contextValue('repository', 'refreshable', 'filterable', opts.filter && 'filtered', ...(node.traits ?? []), r.configured && 'configuredRepository'),
        collapsible: 'collapsed',
        icon: r.isPrivate ? 'lock' : 'repo',
      };
    }
    case 'admin': {
      const v = node.view;
      // Lists page and filter; groups and expandable items only refresh.
      const list = node.role === 'list';
      return {
        id: node.id,
        label: v.label,
        description: [v.description, filterNote].filter(Boolean).join(' · ') || undefined,
        tooltip: v.tooltip,
        contextValue: contextValue('admin', ...node.traits, node.expandable && 'refreshable', list && 'filterable', opts.filter && 'filtered'),
        collapsible: node.expandable ? 'collapsed' : 'none',
        icon: v.icon ?? 'circle-outline',
      };
    }
    case 'tag': {
      const d = node.details;
      const digest = d?.digest ?? node.tag.digest;
      const size = d?.size ?? node.tag.size;
      // Some listings carry no image creation time; the last push is the closest fact they have.
      const created = d?.created ?? node.tag.created ?? node.tag.lastPushed;
      const platforms = d && d.isIndex ? d.platforms : node.tag.platforms && node.tag.platforms.length > 1 ? node.tag.platforms : undefined;
      // An expiration the listing carries (a tag that the registry removes at that time) is a fact users act on.
      const expires = node.tag.expiresAt && !Number.isNaN(Date.parse(node.tag.expiresAt)) ? new Date(node.tag.expiresAt).toISOString().slice(0, 16).replace('T', ' ') : undefined;
      const scan = formatScanCounts(d?.vulnerabilities ?? node.tag.vulnerabilities);
      const badge = tagBadge(node);
      const parts = [digest && shortDigest(digest), formatBytes(size), formatAge(created, opts.now), scan, badge, formatPlatforms(platforms), expires && `expires ${expires} UTC`].filter(Boolean);
      const description = node.detailsError ? `⚠ ${node.detailsError}` : parts.length ? parts.join(' · ') : d ? '' : '…';
      const lines = [`**${escapeMarkdown(node.repository)}:${escapeMarkdown(node.tag.name)}**`, ''];
      if (digest) lines.push(`Digest: ${markdownCode(digest)}`, '');
      if (d) lines.push(`Media type: ${markdownCode(d.mediaType)}`, '');
      if (size !== undefined) lines.push(`Size: ${formatBytes(size)}`, '');
      if (created) lines.push(`Created: ${escapeMarkdown(created)} (${formatAge(created, opts.now)})`, '');
      if (platforms?.length) lines.push(`Platforms: ${escapeMarkdown(formatPlatforms(platforms))}`, '');
      if (scan) lines.push(`Vulnerabilities: ${escapeMarkdown(scan)}`, '');
      if (badge) lines.push(`Attached: ${escapeMarkdown(badge)}`, '');
      if (node.tag.facts?.length) lines.push(escapeMarkdown(node.tag.facts.join(' · ')), '');
      if (expires) lines.push(`Expires: ${expires} UTC`, '');
      if (node.detailsError) lines.push(`Details unavailable: ${escapeMarkdown(node.detailsError)}`);
      return {
        id: node.id,
        label: node.tag.name,
        description,
        tooltip: lines.join('\n'),
        markdownTooltip: true,
        // Show Scan Summary: the registry's scanner, or a vulnerability report among the attachments the badge listed;
        // Verify Signature…: a signature or attestation among them.
        contextValue: contextValue(
          'tag',
          node.deletable && 'deletable',
          (node.scannable || !!node.attachments?.items.some(mayHoldReport)) && 'scannable',
          !!node.attachments?.items.some((a) => a.kind === 'signature' || a.kind === 'attestation') && 'signed',
          ...(node.traits ?? []),
          node.expandable && 'refreshable',
        ),
        collapsible: node.expandable || node.attachable ? 'collapsed' : 'none',
        icon: d?.isIndex ? 'layers' : 'tag',
        command: { command: 'registryExplorer.tag.showDetails', title: 'Show Tag Details', arguments: [node] },
      };
    }
    case 'attached':
      return attachedItem(node, t);
    case 'attachment':
      return attachmentItem(node, t);
    case 'loadMore':
      return {
        id: node.id,
        label: t('Load more…'),
        description: node.remaining !== undefined ? t('{0} more', node.remaining) : undefined,
        contextValue: 'loadMore',
        collapsible: 'none',
        icon: 'ellipsis',
        command: { command: 'registryExplorer.loadMore', title: 'Load More', arguments: [node] },
      };
    case 'message': {
      const action = node.action;
      return {
        id: node.id,
        label: node.text,
        description: node.invitation ? t('not signed in yet') : action === 'signIn' ? t('Sign in…') : action === 'retry' ? t('Retry') : action === 'addRepository' ? t('Add Repository…') : undefined,
        tooltip: [node.text, node.detail].filter(Boolean).join('\n'),
        contextValue: contextValue('message', node.errorKind, action === 'retry' && 'retryable', action === 'signIn' && 'unauthorized', action === 'addRepository' && 'addsRepositories'),
        collapsible: 'none',
        icon: node.invitation ? 'key' : node.severity === 'error' ? 'error|errorForeground' : node.severity === 'warning' ? 'warning|list.warningForeground' : 'info',
        command:
          action === 'signIn'
            ? { command: 'registryExplorer.signIn', title: 'Sign In', arguments: [node] }
            : action === 'retry'
              ? { command: 'registryExplorer.retry', title: 'Retry', arguments: [node] }
              : action === 'addRepository'
                ? { command: 'registryExplorer.repository.add', title: 'Add Repository…', arguments: [node] }
                : undefined,
      };
    }
  }
}

/** A count a registry sent that can be shown as one (a negative or fractional value is shown as "—"). */
const validCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** 1234567 → "1.2M"; "—" for a count that is not a whole non-negative number. */
export function formatCount(n: number): string {
  if (!validCount(n)) return '—';
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}K`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
  return `${(n / 1_000_000_000).toFixed(1)}B`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

type T = (message: string, ...args: (string | number | boolean)[]) => string;
const ICONS: Record<AttachmentKind, string> = { signature: 'verified', sbom: 'package', attestation: 'shield', other: 'file-binary' };

function attachedItem(node: AttachedNode, t: T): TreeItemData {
  const label = node.platform ?? t('Attached');
  return {
    id: node.id,
    label,
    description: node.platform ? shortDigest(node.digest) : tagBadge(node.tagNode) || undefined,
    tooltip: node.platform ? t('Signatures, SBOMs and attestations of {0} ({1})', node.platform, node.digest) : t('Signatures, SBOMs and attestations that refer to {0}', node.digest),
    contextValue: 'attached',
    collapsible: 'collapsed',
    icon: node.platform ? 'vm' : 'link',
  };
}

function attachmentItem(node: AttachmentNode, t: T): TreeItemData {
  const a = node.attachment;
  const where = a.tag ? t('tag {0}', a.tag) : t('referrer');
  const description = [a.digest ? shortDigest(a.digest) : '', a.created ?? ''].filter(Boolean).join(' · ');
  return {
    id: node.id,
    label: a.label,
    description: description || undefined,
    tooltip: [a.label, a.artifactType && `${t('Type')}: ${a.artifactType}`, a.digest && `${t('Digest')}: ${a.digest}`, `${t('Found through')}: ${where}`].filter(Boolean).join('\n'),
    contextValue: `attachment;${a.kind}`,
    collapsible: 'none',
    icon: ICONS[a.kind],
    command: { command: 'registryExplorer.attachment.show', title: t('Show Attachment'), arguments: [node] },
  };
}
