import * as assert from 'node:assert/strict';
import { contextValue, formatAge, formatBytes, formatScanCounts, shortDigest } from '../../src/tree/format';
import type { LoadMoreNode, MessageNode, RegistryNode, RepositoryNode, TagNode } from '../../src/tree/nodes';
import { escapeMarkdown, toTreeItem } from '../../src/tree/treeItems';

const reg: RegistryNode = { type: 'registry', id: 'registry:local', registryName: 'local', kind: 'oci', url: 'https://127.0.0.1:5000', signedIn: true };
const repo: RepositoryNode = { type: 'repository', id: 'registry:local/repo:samples/hello', parent: reg, registryName: 'local', repository: { name: 'samples/hello' }, ref: { type: 'repository', scope: { repository: 'samples/hello' }, key: 'samples/hello' } };

describe('tree item rendering', () => {
  it('formats digests, sizes and ages', () => {
    assert.equal(shortDigest('sha256:0123456789abcdef0123'), 'sha256:0123456789ab');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MB');
    assert.equal(formatBytes(undefined), '');
    const now = Date.parse('2026-01-10T00:00:00Z');
    assert.equal(formatAge('2026-01-07T00:00:00Z', now), '3 days ago');
    assert.equal(formatAge('2026-01-09T23:00:00Z', now), '1 hour ago');
    assert.equal(formatAge('not a date', now), '');
    assert.equal(contextValue('tag', false, 'deletable', undefined, 'tag'), 'deletable;tag');
  });

  it('renders registries and repositories with sorted context traits and the active filter', () => {
    const r = toTreeItem(reg, { filter: 'app' });
    assert.equal(r.label, 'local');
    assert.equal(r.contextValue, 'filterable;filtered;refreshable;registry;signedIn');
    assert.match(r.description!, /127\.0\.0\.1:5000/);
    assert.match(r.description!, /filter: “app”/);
    assert.equal(toTreeItem(repo).contextValue, 'filterable;refreshable;repository');
    const dtrRepo: RepositoryNode = { ...repo, repository: { name: 'engineering/api', description: 'The public API', isPrivate: true, pullCount: 1234, facts: ['private', 'scan on push', 'tag limit 50'] } };
    assert.equal(toTreeItem(dtrRepo).description, 'The public API · private · 1.2K pulls · scan on push · tag limit 50', 'the listing’s own facts follow, each once');
  });

  it('renders a tag lazily: placeholder first, then digest · size · age · platforms', () => {
    const tag: TagNode = { type: 'tag', id: 't', parent: repo, registryName: 'local', repository: 'samples/hello', tag: { name: '1.0' }, ref: { type: 'tag', scope: { repository: 'samples/hello', tag: '1.0' }, key: '1.0' }, pullHost: '127.0.0.1:5000', deletable: true };
    assert.equal(toTreeItem(tag).description, '…');
    assert.equal(toTreeItem(tag).contextValue, 'deletable;tag');
    tag.details = {
      repository: 'samples/hello',
      tag: '1.0',
      digest: 'sha256:aaaaaaaaaaaabbbbbbbbbbbb',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      size: 2048,
      created: '2026-01-07T00:00:00Z',
      isIndex: true,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    };
    const item = toTreeItem(tag, { now: Date.parse('2026-01-10T00:00:00Z') });
    assert.equal(item.description, 'sha256:aaaaaaaaaaaa · 2.0 KB · 3 days ago · linux/amd64, linux/arm64/v8');
    assert.equal(item.icon, 'layers');
  });

  it('shows the scan counts a listing carries in the description, and its facts in the tooltip', () => {
    assert.equal(formatScanCounts(undefined), '');
    assert.equal(formatScanCounts({ critical: 0, low: 0 }), 'no vulnerabilities');
    assert.equal(formatScanCounts({ low: 12, critical: 3, medium: 0 }), '3 critical · 12 low');
    const tag: TagNode = {
      type: 'tag',
      id: 't3',
      parent: repo,
      registryName: 'dtr',
      repository: 'engineering/api',
      tag: { name: '1.1', digest: 'sha256:ccccccccccccdddddddddddd', size: 1_000_000, vulnerabilities: { critical: 12, medium: 13, low: 15 }, facts: ['signed', 'by alice'] },
      ref: { type: 'tag', scope: { repository: 'engineering/api', tag: '1.1' }, key: '1.1' },
      pullHost: 'h',
      deletable: true,
    };
    const item = toTreeItem(tag);
    assert.equal(item.description, 'sha256:cccccccccccc · 977 KB · 12 critical · 13 medium · 15 low');
    assert.ok(item.tooltip!.includes('Vulnerabilities: 12 critical · 13 medium · 15 low'), item.tooltip);
    assert.ok(item.tooltip!.includes('signed · by alice'), item.tooltip);
  });

  it('shows an expiration the listing carries', () => {
    const tag: TagNode = { type: 'tag', id: 'te', parent: repo, registryName: 'local', repository: 'acme/app', tag: { name: '0.9', digest: 'sha256:aaaaaaaaaaaabbbbbbbbbbbb', size: 2048, expiresAt: '2026-01-17T12:30:00Z' }, ref: { type: 'tag', scope: { repository: 'acme/app', tag: '0.9' }, key: '0.9' }, pullHost: 'h', deletable: true };
    const item = toTreeItem(tag, { now: Date.parse('2026-01-10T00:00:00Z') });
    assert.equal(item.description, 'sha256:aaaaaaaaaaaa · 2.0 KB · expires 2026-01-17 12:30 UTC');
    assert.match(String(item.tooltip), /Expires: 2026-01-17 12:30 UTC/);
  });

  it('escapes registry-supplied text in Markdown tooltips', () => {
    assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\]\\(javascript\\:alert\\(1\\)\\)');
    const tag: TagNode = { type: 'tag', id: 't2', parent: repo, registryName: 'local', repository: 'a/<img src=x>', tag: { name: '*bold*' }, ref: { type: 'tag', scope: { repository: 'a/<img src=x>', tag: '*bold*' }, key: '*bold*' }, pullHost: 'h', deletable: false };
    const tip = toTreeItem(tag).tooltip!;
    assert.ok(tip.includes('a/\\<img src\\=x\\>'), tip);
    assert.ok(tip.includes('\\*bold\\*'));
  });

  it('keeps a hostile digest, tag name, fact and error out of the tooltip markup', () => {
    const evil = '\n\n[link](https://evil.example/x) ![img](https://evil.example/i.png) <b>x</b> $(alert) a@evil.example';
    const tag: TagNode = {
      type: 'tag',
      id: 'th',
      parent: repo,
      registryName: 'local',
      repository: 'acme/app',
      tag: { name: `v1${evil}`, digest: `sha256:abc\`${evil}`, facts: [`note${evil}`] },
      details: { digest: `sha256:abc${evil}`, mediaType: `application/x\`${evil}`, isIndex: false, platforms: [] } as unknown as TagNode['details'],
      detailsError: `failed${evil}`,
      ref: { type: 'tag', scope: { repository: 'acme/app', tag: 'v1' }, key: 'v1' },
      pullHost: 'h',
      deletable: false,
    };
    const tip = toTreeItem(tag).tooltip!;
    // Every line is either empty or one of the fixed labels; no registry text starts a block of its own.
    for (const line of tip.split('\n')) assert.match(line, /^(|\*\*.*\*\*|Digest: `[^`]*`|Media type: `[^`]*`|note.*|Details unavailable: .*)$/, line);
    // Outside code spans, no bracket, parenthesis, angle bracket, `$(`, `://` or `@` is left unescaped.
    const prose = tip.replace(/`[^`\n]*`/g, '');
    assert.doesNotMatch(prose, /(^|[^\\])[[\]()<>$@]/, prose);
    assert.doesNotMatch(prose, /[^\\]:\/\//, prose);
    // Inside code spans nothing renders, and none spans a line break.
    assert.equal(tip.match(/`/g)!.length % 2, 0);
    assert.match(tip, /Digest: `sha256:abc \[link\]\(https:\/\/evil\.example\/x\)/);
  });

  it('offers Sign In on unauthorized errors and Retry on others', () => {
    const unauthorized: MessageNode = { type: 'message', id: 'm1', owner: reg, registryName: 'local', severity: 'error', text: 'Sign in required', errorKind: 'unauthorized', action: 'signIn' };
    const i1 = toTreeItem(unauthorized);
    assert.equal(i1.command?.command, 'registryExplorer.signIn');
    assert.equal(i1.contextValue, 'message;unauthorized');
    const broken: MessageNode = { ...unauthorized, id: 'm2', errorKind: 'badResponse', action: 'retry' };
    const i2 = toTreeItem(broken);
    assert.equal(i2.command?.command, 'registryExplorer.retry');
    assert.equal(i2.contextValue, 'badResponse;message;retryable');
    // A registry with nothing stored that asks for credentials is invited to sign in: key icon, no error colour.
    const invite: MessageNode = { ...unauthorized, id: 'm3', severity: 'info', invitation: true, text: 'Sign In…' };
    const i3 = toTreeItem(invite);
    assert.equal(i3.icon, 'key');
    assert.equal(i3.description, 'not signed in yet');
    assert.equal(i3.command?.command, 'registryExplorer.signIn');
    assert.equal(i1.icon, 'error|errorForeground', 'rejected credentials stay an error');
    const more: LoadMoreNode = { type: 'loadMore', id: 'lm', owner: repo, remaining: 1400 };
    assert.equal(toTreeItem(more).description, '1400 more');
    assert.equal(toTreeItem(more).command?.command, 'registryExplorer.loadMore');
  });
});
