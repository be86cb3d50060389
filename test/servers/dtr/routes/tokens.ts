/** DTR fake routes: API tokens and scanning. */
import { HttpError, forbidden, type Json, type UserRec, type TokenRec } from '../types';
import { exportType, scanCsv } from '../exports';
import { formatIssues } from '../../../support/openapiValidator';
import { tools, type Ctx, type DtrKit, type Reply } from '../kit';

export function tokenAndScanRoutes(k: DtrKit, c: Ctx): Reply | undefined {
  const { spec, users, repos, overrides, uuid, st, accessOf, need, requireUser, requireAdmin, scannedImage, countsOf, page, createToken } = k;
  const { m, p, q, b, u, ok, is } = tools(c);

  // API tokens
  const tokenJson = (t: TokenRec) => ({ hashedToken: t.hashedToken, tokenLabel: t.tokenLabel, isActive: t.isActive, lastUsed: t.lastUsed, createdAt: t.createdAt, generatedBy: 'user', creatorUa: 'registry-explorer' });
  const tokenOwner = (user: UserRec): UserRec => {
    const name = q.get('username');
    if (!name || name === user.name) return user;
    if (!user.admin) throw forbidden();
    const other = users.get(name);
    if (!other) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    return other;
  };
  if (is('GET', 'api_tokens')) {
    const owner = tokenOwner(requireUser(u));
    return ok(page([...owner.tokens.values()], (t) => t.hashedToken, q, c.headers).map(tokenJson));
  }
  if (is('POST', 'api_tokens')) {
    const owner = tokenOwner(requireUser(u));
    const secret = createToken(owner.name, typeof b.tokenLabel === 'string' ? b.tokenLabel : '');
    const t = [...owner.tokens.values()].find((x) => x.secret === secret)!;
    return ok({ ...tokenJson(t), token: secret });
  }
  if (p[0] === 'api_tokens' && p.length === 2) {
    const user = requireUser(u);
    const owner = [...users.values()].find((x) => x.tokens.has(p[1]!));
    if (!owner || (owner !== user && !user.admin)) throw new HttpError(404, 'NO_SUCH_TOKEN', 'No such API token');
    const t = owner.tokens.get(p[1]!)!;
    if (m === 'GET') return ok(tokenJson(t));
    if (m === 'PATCH') {
      if (typeof b.tokenLabel === 'string') t.tokenLabel = b.tokenLabel;
      if (typeof b.isActive === 'boolean') t.isActive = b.isActive;
      return ok(tokenJson(t));
    }
    if (m === 'DELETE') {
      owner.tokens.delete(p[1]!);
      return ok();
    }
  }

  // scanning
  if (p[0] === 'imagescan') {
    requireUser(u);
    if (!st.features.scanningLicensed || !st.features.scanningEnabled) throw new HttpError(403, 'SCANNING_DISABLED', 'Scanning is not enabled');
    if (p[1] === 'layeroverride') {
      requireAdmin(u);
      if (is('GET', 'imagescan', 'layeroverride')) return ok([...overrides.values()]);
      if (is('POST', 'imagescan', 'layeroverride', '*')) {
        const o = { pk: uuid(), digest: p[2]!, component: b.component, componentVersion: b.componentVersion, cve: b.cve, notes: b.notes };
        overrides.set(o.pk, o);
        return ok();
      }
      if (is('DELETE', 'imagescan', 'layeroverride', '*')) {
        if (!overrides.delete(p[2]!)) throw new HttpError(404, 'NO_SUCH_OVERRIDE', 'No such layer override');
        return ok();
      }
    }
    if (is('GET', 'imagescan', 'status')) return ok({ state: 0, scanner_version: 3, scannerUpdatedAt: '2026-11-01T00:00:00Z', db_version: 412, db_updated_at: '2026-11-26T03:00:00Z', lastDBUpdateFailed: false, lastVulnOverridesDBUpdateFailed: false, replicas: {} });
    if (is('POST', 'imagescan', 'scansummary', 'tags')) {
      const images: Json = {};
      for (const img of (b.images ?? []) as Array<{ name: string; digest: string }>) {
        for (const r of repos.values()) {
          if (!accessOf(u, r)) continue;
          const t = r.tags.find((x) => x.digest === img.digest);
          if (!t) continue;
          const sum = t.platforms.map(countsOf).reduce<{ critical: number; major: number; minor: number } | undefined>((acc, x) => (x ? { critical: (acc?.critical ?? 0) + x.critical, major: (acc?.major ?? 0) + x.major, minor: (acc?.minor ?? 0) + x.minor } : acc), undefined);
          if (sum) images[img.digest] = sum;
          break;
        }
      }
      return ok({ images });
    }
    if (m === 'GET' && p[1] === 'scansummary' && p[2] === 'repositories' && p.length === 7 && p[6] === 'export') {
      // The same role as the scan summary; the file type by Accept (text/csv or application/json, else 406).
      const issues = spec.validateQuery(m, `/api/v0/${p.map(encodeURIComponent).join('/')}`, q);
      if (issues.length) throw new HttpError(400, 'INVALID_PARAMETERS', `Unable to parse query parameters: ${formatIssues(issues)}`);
      const repo = need(u, p[3]!, p[4]!, 'read-only');
      const type = exportType(c.accept);
      if (!type) throw new HttpError(406, 'NOT_ACCEPTABLE', 'Not Acceptable');
      const t = repo.tags.find((x) => x.name === p[5]);
      if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      const platforms = t.platforms.filter((x) => x.cves !== undefined && (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
      const summaries = platforms.map((x) => ({ scanStatus: 0, shouldRescan: false, scannedImage: scannedImage(repo, t, x) }));
      c.headers['Content-Type'] = type;
      if (type === 'application/json') return ok(summaries);
      return { status: 200, text: scanCsv(platforms.map((x, i) => ({ os: x.os, arch: x.arch, image: summaries[i]!.scannedImage }))) };
    }
    if (m === 'GET' && p[1] === 'scansummary' && p[2] === 'repositories' && p.length === 6) {
      const repo = need(u, p[3]!, p[4]!, 'read-only');
      const ref = p[5]!;
      const t = repo.tags.find((x) => x.name === ref || x.digest === ref);
      if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      const platforms = t.platforms.filter((x) => x.cves !== undefined && (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
      return ok(platforms.map((x) => ({ scanStatus: 0, shouldRescan: false, scannedImage: scannedImage(repo, t, x) })));
    }
    if (m === 'POST' && p[1] === 'scan' && p.length === 7) {
      const repo = need(u, p[2]!, p[3]!, 'read-write');
      const t = repo.tags.find((x) => x.name === p[4]);
      const pl = t?.platforms.find((x) => x.os === p[5] && x.arch === p[6]);
      if (!t || !pl) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
      pl.cves ??= 0;
      return ok();
    }
  }
  return undefined;
}
