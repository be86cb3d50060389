import * as assert from 'node:assert/strict';
import { compareImages, compareVulnerabilities, layerCommands } from '../../src/registry/compare';
import { parseImageReference } from '../../src/registry/names';
import type { ImageDetails, PlatformImage } from '../../src/registry/provider';
import type { ScanReport, Vulnerability } from '../../src/registry/scan';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

function image(o: { platform?: [string, string]; layers: number[]; history?: (string | null)[]; env?: string[]; labels?: Record<string, string>; cmd?: string[]; ports?: string[]; user?: string; digest?: number }): PlatformImage {
  const layers = o.layers.map((n) => ({ digest: d(n), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: n * 1000 }));
  return {
    ...(o.platform ? { platform: { os: o.platform[0], architecture: o.platform[1] } } : {}),
    digest: d(o.digest ?? 900 + o.layers.reduce((a, b) => a + b, 0)),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    layers,
    totalSize: layers.reduce((a, l) => a + l.size, 0) + 500,
    config: {
      digest: d(800),
      size: 500,
      env: o.env ?? [],
      entrypoint: [],
      cmd: o.cmd ?? [],
      labels: o.labels ?? {},
      exposedPorts: o.ports ?? [],
      volumes: [],
      ...(o.user ? { user: o.user } : {}),
      history: (o.history ?? []).map((h) => (h === null ? { createdBy: 'ENV X=1', emptyLayer: true } : { createdBy: h })),
    },
  };
}

function details(images: PlatformImage[], isIndex = images.length > 1): ImageDetails {
  return { repository: 'team/app', reference: 'x', digest: d(1000 + images.length), mediaType: '', isIndex, images };
}

function report(vulns: Partial<Vulnerability>[], status: ScanReport['status'] = 'completed'): ScanReport {
  return {
    status,
    scanner: 'Trivy',
    repository: 'team/app',
    reference: 'x',
    counts: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 },
    packages: [],
    vulnerabilities: vulns.map((v) => ({ id: 'CVE-0', severity: 'low', packageName: 'p', links: [], ...v })),
  };
}

describe('compare two images', () => {
  it('lists layers added, removed and shared by digest, with the history command that made each', () => {
    const left = image({ layers: [1, 2, 3], history: ['FROM base', null, 'RUN apt-get install curl', 'COPY old /app'] });
    const right = image({ layers: [1, 2, 4], history: ['FROM base', null, 'RUN apt-get install curl', 'COPY new /app'] });
    const [p] = compareImages(details([left]), details([right]));
    assert.deepEqual(
      p!.layers.map((l) => [l.state, l.digest.slice(-1), l.createdBy]),
      [
        ['shared', '1', 'FROM base'],
        ['shared', '2', 'RUN apt-get install curl'],
        ['added', '4', 'COPY new /app'],
        ['removed', '3', 'COPY old /app'],
      ],
    );
    assert.equal(p!.sizeDelta, 1000, 'right minus left: layer 4 (4000) replaces layer 3 (3000)');
    assert.equal(p!.identical, false);
  });

  it('puts no command on a layer when the history does not line up with the layers', () => {
    const img = image({ layers: [1, 2], history: ['FROM base'] });
    assert.equal(layerCommands(img).size, 0);
  });

  it('names each configuration change: env by variable, labels by key, cmd, user, exposed ports', () => {
    const left = image({ layers: [1], env: ['PATH=/usr/bin', 'MODE=dev', 'GONE=1'], labels: { version: '1.0', team: 'a' }, cmd: ['run'], ports: ['80/tcp'] });
    const right = image({ layers: [1], env: ['PATH=/usr/bin', 'MODE=prod', 'NEW=x=y'], labels: { version: '1.1', team: 'a' }, cmd: ['run', '--prod'], ports: ['80/tcp', '443/tcp'], user: 'app' });
    const [p] = compareImages(details([left]), details([right]));
    assert.deepEqual(p!.config, [
      { field: 'cmd', before: '["run"]', after: '["run","--prod"]' },
      { field: 'user', after: 'app' },
      { field: 'env GONE', before: '1' },
      { field: 'env MODE', before: 'dev', after: 'prod' },
      { field: 'env NEW', after: 'x=y' },
      { field: 'label version', before: '1.0', after: '1.1' },
      { field: 'exposed port 443/tcp', after: 'present' },
    ]);
  });

  it('matches the platforms of two indexes and says which platform only one side has', () => {
    const left = details([image({ platform: ['linux', 'amd64'], layers: [1] }), image({ platform: ['linux', 'arm64'], layers: [2] })]);
    const right = details([image({ platform: ['linux', 'amd64'], layers: [1] }), image({ platform: ['linux', 's390x'], layers: [3] })]);
    const out = compareImages(left, right);
    assert.deepEqual(
      out.map((p) => [p.platform, p.identical, p.notes]),
      [
        ['linux/amd64', true, []],
        ['linux/s390x', false, ['Only the right image has this platform']],
        ['linux/arm64', false, ['Only the left image has this platform']],
      ],
    );
  });

  it('compares the vulnerabilities of both scans: fixed and introduced, most severe first', () => {
    const left = report([{ id: 'CVE-1', packageName: 'openssl', severity: 'high' }, { id: 'CVE-2', packageName: 'zlib' }, { id: 'CVE-9', packageName: 'curl', severity: 'critical' }]);
    const right = report([{ id: 'CVE-2', packageName: 'zlib' }, { id: 'CVE-3', packageName: 'glibc', severity: 'medium' }, { id: 'CVE-4', packageName: 'bash', severity: 'critical' }]);
    const { fixed, introduced } = compareVulnerabilities(left, right);
    assert.deepEqual(fixed.map((v) => v.id), ['CVE-9', 'CVE-1']);
    assert.deepEqual(introduced.map((v) => v.id), ['CVE-4', 'CVE-3']);
    const [p] = compareImages(details([image({ layers: [1] })]), details([image({ layers: [2] })]), { left: new Map([['image', left]]), right: new Map([['image', right]]) });
    assert.equal(p!.vulnerabilities?.introduced.length, 2);
  });

  it('says vulnerabilities are not compared when one side has no completed scan', () => {
    const [p] = compareImages(details([image({ layers: [1] })]), details([image({ layers: [2] })]), { left: new Map([['image', report([])]]), right: new Map([['image', report([], 'scanning')]]) });
    assert.equal(p!.vulnerabilities, undefined);
    assert.match(p!.notes.join(' '), /both sides have a completed scan/);
  });

  it('bounds what it carries: a huge history command is cut, thousands of layers are capped', () => {
    const long = 'RUN ' + 'x'.repeat(10_000);
    const left = image({ layers: [1], history: [long] });
    const right = image({ layers: Array.from({ length: 2000 }, (_, i) => i + 10) });
    const [p] = compareImages(details([left]), details([right]));
    assert.equal(p!.layers.length, 500);
    const [q] = compareImages(details([left]), details([image({ layers: [2], history: [long] })]));
    assert.ok(q!.layers.every((l) => (l.createdBy ?? '').length <= 2001));
  });
});

describe('the other side of a comparison, as typed', () => {
  it('takes repository:tag and repository@digest, and nothing else', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageReference(' team/app:1.2 '), { repository: 'team/app', reference: '1.2' });
    assert.deepEqual(parseImageReference(`team/app@${digest}`), { repository: 'team/app', reference: digest });
    for (const bad of ['team/app', ':1.2', 'Team/App:1', 'team/../v2:x', 'team/app:..', 'team/app@latest', 'team/app:a b', 'registry.example:5000/app']) {
      assert.equal(parseImageReference(bad), undefined, bad);
    }
  });
});
