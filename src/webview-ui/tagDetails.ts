import type { TagDetailsData } from '../webviews/protocol';
import type { PanelContext } from './context';
import { formatBytes, h } from './dom';
import { renderMarkdown } from './markdown';

type Image = TagDetailsData['details']['images'][number];

function copyButton(ctx: PanelContext, text: string, what: string): HTMLElement {
  const b = h('vscode-toolbar-button', { icon: 'copy', label: `Copy ${what}`, title: `Copy ${what}` });
  b.addEventListener('click', () => ctx.post({ type: 'copy', text, what }));
  return b;
}

function kvTable(rows: [string, Node | string | undefined][], caption?: string): HTMLElement {
  const body = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v!)));
  return h('table', { class: 'kv' }, caption ? h('caption', null, caption) : null, h('tbody', null, ...body));
}

function section(title: string, count: number | undefined, content: Node, open = true): HTMLElement {
  return h('vscode-collapsible', { title: count === undefined ? title : `${title} (${count})`, open }, h('div', { class: 'section-body' }, content));
}

function code(text: string): HTMLElement {
  return h('code', { class: 'mono' }, text);
}

function platformLabel(img: Image): string {
  const p = img.platform ?? (img.config ? { os: img.config.os ?? '?', architecture: img.config.architecture ?? '?', variant: img.config.variant } : undefined);
  if (!p) return 'image';
  return `${p.os}/${p.architecture}${p.variant ? '/' + p.variant : ''}`;
}

/** Platforms past the first of a large index are listed, not read; this reads one when asked. */
function loadPlatformButton(img: Image, ctx: PanelContext): HTMLElement {
  const b = h('vscode-button', { secondary: true, class: 'load-platform' }, 'Read this platform');
  b.addEventListener('click', () => {
    b.setAttribute('disabled', '');
    ctx.post({ type: 'loadPlatform', digest: img.digest });
  });
  return h('span', { class: 'with-action' }, h('span', { class: 'muted' }, 'Not read yet (a large index has only its first platforms read). '), b);
}

/** One platform's image; `nested` when it is one of an index's manifests (its digest differs from the page's). */
function renderImage(img: Image, ctx: PanelContext, nested: boolean): HTMLElement {
  const c = img.config;
  const root = h('div', { class: 'image' });
  root.appendChild(
    kvTable([
      ['Digest', nested ? h('span', { class: 'with-action' }, code(img.digest), copyButton(ctx, img.digest, 'digest')) : undefined],
      ['Media type', nested ? code(img.mediaType) : undefined],
      ['Size', img.detailsOmitted ? loadPlatformButton(img, ctx) : `${formatBytes(img.totalSize)} (${img.layers.length} layer${img.layers.length === 1 ? '' : 's'})`],
      ['Created', c?.created],
      ['Platform', platformLabel(img)],
      ['Author', c?.author],
      ['User', c?.user],
      ['Working directory', c?.workingDir],
      ['Entrypoint', c && c.entrypoint.length ? code(JSON.stringify(c.entrypoint)) : undefined],
      ['Command', c && c.cmd.length ? code(JSON.stringify(c.cmd)) : undefined],
      ['Exposed ports', c && c.exposedPorts.length ? c.exposedPorts.join(', ') : undefined],
      ['Volumes', c && c.volumes.length ? c.volumes.join(', ') : undefined],
    ]),
  );
  if (c) {
    root.appendChild(
      section(
        'Environment',
        c.env.length,
        c.env.length
          ? h(
              'table',
              { class: 'grid pairs env' },
              h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Value'))),
              h(
                'tbody',
                null,
                ...c.env.map((e) => {
                  const i = e.indexOf('=');
                  return h('tr', null, h('td', { class: 'mono' }, i < 0 ? e : e.slice(0, i)), h('td', { class: 'mono wrap' }, i < 0 ? '' : e.slice(i + 1)));
                }),
              ),
            )
          : h('p', { class: 'muted' }, 'No environment variables.'),
      ),
    );
    const labels = Object.entries(c.labels);
    root.appendChild(
      section(
        'Labels',
        labels.length,
        labels.length
          ? h(
              'table',
              { class: 'grid pairs labels' },
              h('thead', null, h('tr', null, h('th', null, 'Label'), h('th', null, 'Value'))),
              h('tbody', null, ...labels.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'wrap' }, v)))),
            )
          : h('p', { class: 'muted' }, 'No labels.'),
      ),
    );
  }
  root.appendChild(
    section(
      'Layers',
      img.layers.length,
      h(
        'table',
        { class: 'grid layers' },
        h('thead', null, h('tr', null, h('th', { class: 'num' }, '#'), h('th', null, 'Digest'), h('th', { class: 'num' }, 'Size'), h('th', null, 'Media type'))),
        h(
          'tbody',
          null,
          ...img.layers.map((l, i) =>
            h(
              'tr',
              null,
              h('td', { class: 'num' }, i + 1),
              h('td', null, h('span', { class: 'with-action' }, code(l.digest.slice(0, 19) + '…'), copyButton(ctx, l.digest, 'layer digest'))),
              h('td', { class: 'num' }, formatBytes(l.size)),
              h('td', { class: 'mono muted' }, l.mediaType),
            ),
          ),
        ),
      ),
    ),
  );
  if (c && c.history.length) {
    root.appendChild(
      section(
        'History',
        c.history.length,
        h(
          'table',
          { class: 'grid history' },
          h('thead', null, h('tr', null, h('th', null, 'Created'), h('th', null, 'Command'), h('th', null, 'Layer'))),
          h(
            'tbody',
            null,
            ...c.history.map((e) =>
              h(
                'tr',
                null,
                h('td', { class: 'nowrap' }, e.created ? e.created.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''),
                h('td', { class: 'mono wrap' }, (e.createdBy ?? '').replace(/^\/bin\/sh -c #\(nop\)\s*/, '')),
                h('td', null, e.emptyLayer ? h('span', { class: 'muted' }, 'empty') : '✓'),
              ),
            ),
          ),
        ),
        false,
      ),
    );
  }
  if (img.annotations && Object.keys(img.annotations).length) root.appendChild(annotations(img.annotations, ctx));
  return root;
}

function annotations(a: Record<string, string>, ctx: PanelContext): HTMLElement {
  const entries = Object.entries(a);
  return section(
    'Annotations',
    entries.length,
    h(
      'table',
      { class: 'grid pairs annotations' },
      h('tbody', null, ...entries.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'wrap' }, k === 'org.opencontainers.image.description' ? renderMarkdown(v, (url) => ctx.post({ type: 'openLink', url })) : v)))),
    ),
  );
}

export function renderTagDetails(app: HTMLElement, data: TagDetailsData, ctx: PanelContext): void {
  const d = data.details;
  const ref = data.tag ? `${d.repository}:${data.tag}` : `${d.repository}@${d.digest}`;
  const pullByTag = `docker pull ${data.pullHost}/${ref}`;
  const pullByDigest = `docker pull ${data.pullHost}/${d.repository}@${d.digest}`;
  const total = d.images.reduce((a, i) => a + i.totalSize, 0);
  const description = d.annotations?.['org.opencontainers.image.description'] ?? d.images[0]?.config?.labels['org.opencontainers.image.description'];

  app.appendChild(
    h(
      'header',
      { class: 'page-header' },
      h('h1', null, h('span', { class: 'codicon codicon-tag' }), ' ', ref),
      h('p', { class: 'muted' }, `${data.registryName} · ${d.isIndex ? `index of ${d.images.length} platform${d.images.length === 1 ? '' : 's'}` : 'single-platform image'} · ${formatBytes(total)}`),
    ),
  );
  if (description) app.appendChild(h('div', { class: 'description' }, renderMarkdown(description, (url) => ctx.post({ type: 'openLink', url }))));
  app.appendChild(
    kvTable([
      ['Pull', h('span', { class: 'with-action' }, code(pullByTag), copyButton(ctx, pullByTag, 'pull command'))],
      ['Pull by digest', h('span', { class: 'with-action' }, code(pullByDigest), copyButton(ctx, pullByDigest, 'pull command by digest'))],
      ['Digest', h('span', { class: 'with-action' }, code(d.digest), copyButton(ctx, d.digest, 'digest'))],
      ['Media type', code(d.mediaType)],
      ['Total size', formatBytes(total)],
    ]),
  );
  if (d.annotations && Object.keys(d.annotations).length) app.appendChild(annotations(d.annotations, ctx));
  if (d.overview) {
    app.appendChild(section('Repository overview', undefined, h('div', { class: 'description overview' }, renderMarkdown(d.overview, (url) => ctx.post({ type: 'openLink', url }))), false));
  }

  if (d.images.length === 0) {
    app.appendChild(h('p', { class: 'muted' }, 'This index lists no image manifests.'));
    return;
  }
  if (d.images.length === 1) {
    app.appendChild(renderImage(d.images[0]!, ctx, d.isIndex));
    return;
  }
  const selected = Math.min(ctx.getUiState<number>('platformTab') ?? 0, d.images.length - 1);
  const tabs = h('vscode-tabs', { 'selected-index': selected, class: 'platform-tabs' });
  d.images.forEach((img) => {
    tabs.appendChild(h('vscode-tab-header', { slot: 'header' }, platformLabel(img)));
    tabs.appendChild(h('vscode-tab-panel', null, renderImage(img, ctx, true)));
  });
  tabs.addEventListener('vsc-tabs-select', (e: Event) => ctx.setUiState('platformTab', (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex));
  app.appendChild(tabs);
}
