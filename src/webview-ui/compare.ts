import type { CompareData } from '../webviews/protocol';
import type { PanelContext } from './context';
import { formatBytes, h } from './dom';

type Platform = CompareData['platforms'][number];
type Side = CompareData['left'];

function sideRef(s: Side): string {
  return `${s.repository}${s.reference.includes(':') ? '@' + s.reference : ':' + s.reference}`;
}

function signedBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n === 0) return '±0 B';
  return `${n > 0 ? '+' : '−'}${formatBytes(Math.abs(n))}`;
}

const STATE_WORDS = { added: 'added', removed: 'removed', shared: 'shared' } as const;

function layersTable(p: Platform): HTMLElement {
  const count = (s: keyof typeof STATE_WORDS) => p.layers.filter((l) => l.state === s);
  const sum = (ls: Platform['layers']) => ls.reduce((a, l) => a + l.size, 0);
  const added = count('added');
  const removed = count('removed');
  const shared = count('shared');
  const summary = h(
    'p',
    { class: 'muted layer-summary' },
    `${added.length} added (${formatBytes(sum(added))}) · ${removed.length} removed (${formatBytes(sum(removed))}) · ${shared.length} shared (${formatBytes(sum(shared))})`,
  );
  const rows = p.layers.map((l) =>
    h(
      'tr',
      { class: `layer-${l.state}` },
      h('td', { class: 'nowrap' }, h('span', { class: `change-pill change-${l.state}` }, STATE_WORDS[l.state])),
      h('td', { class: 'mono' }, l.digest.slice(0, 19)),
      h('td', { class: 'num' }, formatBytes(l.size)),
      h('td', { class: 'wrap mono' }, l.createdBy ?? ''),
    ),
  );
  return h(
    'section',
    null,
    h('h2', null, 'Layers'),
    summary,
    h('table', { class: 'grid layers' }, h('thead', null, h('tr', null, h('th', null, 'Change'), h('th', null, 'Digest'), h('th', { class: 'num' }, 'Size'), h('th', null, 'Made by'))), h('tbody', null, ...rows)),
  );
}

function configTable(p: Platform): HTMLElement {
  const body = p.config.length
    ? h(
        'table',
        { class: 'grid config-changes' },
        h('thead', null, h('tr', null, h('th', null, 'Setting'), h('th', null, 'Left'), h('th', null, 'Right'))),
        h('tbody', null, ...p.config.map((c) => h('tr', null, h('td', { class: 'mono' }, c.field), h('td', { class: 'wrap mono' }, c.before ?? '—'), h('td', { class: 'wrap mono' }, c.after ?? '—')))),
      )
    : h('p', { class: 'muted' }, 'The configuration is the same (environment, entrypoint, command, labels, ports, user, working directory, volumes).');
  return h('section', null, h('h2', null, 'Configuration'), body);
}

function vulnTable(title: string, rows: NonNullable<Platform['vulnerabilities']>['fixed'], cls: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, `${title}: none`);
  return h(
    'div',
    null,
    h('h3', null, `${title} (${rows.length})`),
    h(
      'table',
      { class: `grid ${cls}` },
      h('thead', null, h('tr', null, h('th', null, 'Severity'), h('th', null, 'Vulnerability'), h('th', null, 'Package'), h('th', null, 'Installed'), h('th', null, 'Fixed in'))),
      h(
        'tbody',
        null,
        ...rows.map((v) =>
          h('tr', null, h('td', null, h('span', { class: `sev-pill sev-bg-${v.severity}` }, v.severity)), h('td', { class: 'mono' }, v.id), h('td', null, v.packageName), h('td', { class: 'mono' }, v.installedVersion ?? ''), h('td', { class: 'mono' }, v.fixedVersion ?? '')),
        ),
      ),
    ),
  );
}

function renderPlatform(p: Platform): HTMLElement {
  const root = h('div', { class: 'compare-platform' });
  for (const n of p.notes) root.appendChild(h('p', { class: 'notice' }, n));
  if (p.identical) {
    root.appendChild(h('p', { class: 'notice identical' }, `Both sides are the same image (${p.leftDigest ?? ''}).`));
    return root;
  }
  if (!p.leftDigest || !p.rightDigest) return root;
  root.appendChild(
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        null,
        h('tr', null, h('th', { scope: 'row' }, 'Left'), h('td', null, h('code', null, p.leftDigest), ` ${formatBytes(p.leftSize)}`)),
        h('tr', null, h('th', { scope: 'row' }, 'Right'), h('td', null, h('code', null, p.rightDigest), ` ${formatBytes(p.rightSize)}`)),
        h('tr', null, h('th', { scope: 'row' }, 'Size change'), h('td', { class: 'size-delta' }, signedBytes(p.sizeDelta))),
      ),
    ),
  );
  root.appendChild(layersTable(p));
  root.appendChild(configTable(p));
  if (p.vulnerabilities) {
    const v = p.vulnerabilities;
    root.appendChild(
      h(
        'section',
        { class: 'vuln-changes' },
        h('h2', null, 'Vulnerabilities'),
        h('p', { class: 'muted' }, `Left: ${v.left} · Right: ${v.right}`),
        vulnTable('Introduced', v.introduced, 'introduced'),
        vulnTable('Fixed', v.fixed, 'fixed'),
      ),
    );
  }
  return root;
}

/** Two images side by side: per platform, layers, configuration, size and vulnerabilities. */
export function renderCompare(app: HTMLElement, data: CompareData, ctx: PanelContext): void {
  app.appendChild(
    h(
      'header',
      { class: 'page-header' },
      h('h1', null, h('span', { class: 'codicon codicon-diff' }), ' ', `${sideRef(data.left)} ⇄ ${sideRef(data.right)}`),
      h('p', { class: 'muted' }, `Left: ${data.left.registryName} · Right: ${data.right.registryName} · ${data.platforms.length} platform${data.platforms.length === 1 ? '' : 's'}`),
    ),
  );
  for (const n of data.notes) app.appendChild(h('p', { class: 'notice' }, n));
  if (!data.platforms.length) {
    app.appendChild(h('p', { class: 'muted' }, 'Neither image lists a platform to compare.'));
    return;
  }
  if (data.platforms.length === 1) {
    app.appendChild(renderPlatform(data.platforms[0]!));
    return;
  }
  const selected = Math.min(ctx.getUiState<number>('platformTab') ?? 0, data.platforms.length - 1);
  const tabs = h('vscode-tabs', { 'selected-index': selected, class: 'platform-tabs' });
  for (const p of data.platforms) {
    tabs.appendChild(h('vscode-tab-header', { slot: 'header' }, p.platform));
    tabs.appendChild(h('vscode-tab-panel', null, renderPlatform(p)));
  }
  tabs.addEventListener('vsc-tabs-select', (e: Event) => ctx.setUiState('platformTab', (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex));
  app.appendChild(tabs);
}
