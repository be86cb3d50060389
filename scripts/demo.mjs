#!/usr/bin/env node
// `npm run demo`: Registry Explorer in code-server against local sample registries, for trying it by hand.
//   1. installs what is missing (scripts/setup-test-tools.sh; `npm ci` when node_modules is stale)
//   2. builds and packages the extension (dist/registry-explorer.vsix)
//   3. starts the sandbox (test/support/sandbox.ts: the real docker-registry with TLS + htpasswd and sample
//      images; sample/signed:1.0 is signed, with SBOMs, provenance and a vulnerability attestation attached, its
//      public key written to the workspace as cosign.pub) and, when they start, the fake Docker Hub of test/servers/hubServer.ts with its demo data and the fake
//      legacy Docker Hub v1 index of test/servers/hubV1Server.ts (test/e2e/lib/hubV1.mjs), the fake DTR of
//      test/servers/dtrServer.ts (startDemoDtr) with its own /v2/ registry, and the fake Red Hat Quay of
//      test/servers/quayServer.ts (test/e2e/lib/quay.mjs: organizations, robots, teams, policies, tag history, /v2),
//      and the fake Harbor of test/servers/harborServer.ts (test/e2e/lib/harbor.mjs: projects, artifacts, scans, /v2/),
//      and a registry that does not list its repositories (the sandbox behind test/support/catalogRefuser.ts, whose
//      /v2/_catalog answers 403; test/e2e/lib/noCatalog.mjs)
//      and the fake GitHub of test/servers/ghcrServer.ts (test/e2e/lib/ghcr.mjs: packages API and its registry) with
//      a stand-in GitHub account in code-server (test/e2e/githubAuth)
//   4. starts code-server on 127.0.0.1 with the extension installed and the registries configured
//   5. prints the URL and the credentials, and stays up until Ctrl-C, then stops everything
// Passwords are never written to settings. SecretStorage of code-server lives in the browser profile, so it can't
// be filled in advance: a small sandbox extension (test/support/sandbox-extension) signs the product in to its own
// sandboxes when a browser profile first opens it, through the product's Sign In command, from a file (mode 0600)
// removed when the demo stops. The passwords are printed for those who want to sign in themselves.
// Env: DEMO_PORT (default: a free port), DEMO_HOST (default 127.0.0.1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageSandboxExtension, startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { dtrEntry, startDtr } from '../test/e2e/lib/dtr.mjs';
import { hubEntry, startHub } from '../test/e2e/lib/hub.mjs';
import { hubV1Entry, startHubV1 } from '../test/e2e/lib/hubV1.mjs';
import { quayEntry, startQuay } from '../test/e2e/lib/quay.mjs';
import { harborEntry, startHarbor } from '../test/e2e/lib/harbor.mjs';
import { noCatalogEntry, startNoCatalog } from '../test/e2e/lib/noCatalog.mjs';
import { ghcrEntry, ghcrSessions, startGhcr } from '../test/e2e/lib/ghcr.mjs';
import { buildGithubAuthVsix, writeGithubSessions } from '../test/e2e/lib/githubAuth.mjs';
import { registryEntries, startSandbox } from '../test/e2e/lib/sandbox.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const log = (m) => console.log(`[demo] ${m}`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[demo] ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// 1-2. tools, dependencies, build
run('bash', ['scripts/setup-test-tools.sh']);
const marker = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(path.join(root, 'package-lock.json')).mtimeMs) {
  log('npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
log('building and packaging the extension');
run('node', ['esbuild.mjs']);
run('npm', ['run', '--silent', 'package']);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-demo-'));
let sandbox, hub, hubV1, dtr, quay, harbor, noCatalog, ghcr, server;
let stopping;
async function stop() {
  stopping ??= (async () => {
    log('stopping');
    if (server) await server.stop();
    if (hub) await hub.stop().catch(() => {});
    if (hubV1) await hubV1.stop().catch(() => {});
    if (dtr) await dtr.stop().catch(() => {});
    if (quay) await quay.stop().catch(() => {});
    if (harbor) await harbor.stop().catch(() => {});
    if (noCatalog) await noCatalog.stop().catch(() => {});
    if (ghcr) await ghcr.stop().catch(() => {});
    if (sandbox) await sandbox.stop();
    fs.rmSync(work, { recursive: true, force: true });
  })();
  return stopping;
}
process.once('SIGINT', () => void stop().finally(() => process.exit(0)));
process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));

try {
  // 3. registries
  log('starting the sandbox registry (sample images)…');
  sandbox = await startSandbox({ root, dir: path.join(work, 'sandbox'), log });
  const oci = sandbox.endpoints.oci;
  const registries = registryEntries(sandbox.endpoints, { main: 'local' });
  // The demo goes on without a fake that does not start (the test runner fails instead).
  hub = await startHub({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (hub) registries.push(hubEntry(hub.info, 'docker-hub (fake)'));
  hubV1 = await startHubV1({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (hubV1) registries.push(hubV1Entry(hubV1.info, 'docker-hub-v1 (fake)'));
  dtr = await startDtr({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (dtr) registries.push(dtrEntry(dtr.info, 'dtr (fake)'));
  quay = await startQuay({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (quay) registries.push(quayEntry(quay.info, 'quay (fake)'));
  harbor = await startHarbor({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (harbor) registries.push(harborEntry(harbor.info, 'harbor (fake)'));
  noCatalog = await startNoCatalog({ oci, log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (noCatalog) registries.push(noCatalogEntry(noCatalog.info, 'no-catalog'));
  ghcr = await startGhcr({ log }).catch((e) => void log(String(e.message).split('\n')[0]));
  if (ghcr) registries.push(ghcrEntry(ghcr.info, 'github (fake)'));
  // VS Code's GitHub account, standing in: signed in to code-server with the fake GitHub's sessions.
  const github = ghcr ? { env: { REGISTRY_GITHUB_SESSIONS: writeGithubSessions(work, ghcrSessions(ghcr.info), { signedIn: true }) }, extensions: [buildGithubAuthVsix(path.join(work, 'vsix'))] } : { env: {}, extensions: [] };

  // 4. code-server
  const host = process.env.DEMO_HOST || '127.0.0.1';
  const port = process.env.DEMO_PORT ? Number(process.env.DEMO_PORT) : undefined;
  const signInFile = path.join(work, 'sign-in.json');
  const secrets = {
    local: oci.password,
    ...(hub ? { 'docker-hub (fake)': hub.info.password } : {}),
    ...(hubV1 ? { 'docker-hub-v1 (fake)': hubV1.info.password } : {}),
    ...(dtr ? { 'dtr (fake)': dtr.info.password } : {}),
    ...(quay ? { 'quay (fake)': quay.info.token } : {}),
    ...(harbor ? { 'harbor (fake)': harbor.info.password } : {}),
    ...(noCatalog ? { 'no-catalog': oci.password } : {}),
    ...(ghcr ? { 'github (fake)': { account: true } } : {}),
  };
  fs.writeFileSync(signInFile, JSON.stringify(secrets), { mode: 0o600 });
  server = await startCodeServer({
    runDir: path.join(work, 'code-server'),
    vsix: path.join(root, 'dist', 'registry-explorer.vsix'),
    extraVsix: [packageSandboxExtension(root, path.join(work, 'sandbox-sign-in.vsix'))],
    settings: { 'registryExplorer.registries': registries, 'registryExplorer.healthCheckInterval': 30, 'registryExplorerSandbox.signInFile': signInFile },
    host,
    port,
    log,
    ...github,
  });

  // The public key of sample/signed:1.0's signature, in the workspace folder for Verify Signature… → Choose a PEM file….
  const signedKeyFile = path.join(server.dirs.workspace, 'cosign.pub');
  fs.writeFileSync(signedKeyFile, sandbox.endpoints.content.signed.publicKeyPem);

  // 5. instructions
  const url = `${server.base}/?folder=${encodeURIComponent(server.dirs.workspace)}`;
  console.log(`
  Registry Explorer demo is running.

    Open:  ${url}

  The Registries view (activity bar) opens signed in to every sandbox below. To try signing in yourself, run
  "Registry Explorer: Sign Out" on a registry, then click its "Sign In…" node (or run "Registry Explorer: Sign In")
  and enter:
    local               ${oci.url}
                        user ${oci.username}   password ${oci.password}   (CA: ${oci.caFile})
                        sample/hello, sample/multi (amd64 + arm64), sample/shared (a, b, c share one digest),
                        sample/many (1,500 tags: Load more…), other/app,
                        sample/signed:1.0: a signed image with an SBOM, a provenance attestation and an attached
                        vulnerability report (expand 1.0 → Attached; Verify Signature… with the key below;
                        Show Scan Summary). Its public key (cosign.pub): ${signedKeyFile}${hub ? `
    docker-hub (fake)   ${hub.info.url}
                        user ${hub.info.username}   password demo-password or the access token ${hub.info.password}
                        (namespaces ${hub.info.namespaces.join(', ')}; demo and acme are reachable by name too)` : ''}${hubV1 ? `
    docker-hub-v1 (fake)
                        ${hubV1.info.url}   (legacy v1 index: login check, repositories from the settings, images)
                        user ${hubV1.info.username}   password ${hubV1.info.password}
                        (repositories ${hubV1.info.namespaces.join(', ')})` : ''}${dtr ? `
    dtr (fake)          ${dtr.info.url}   (DTR / MSR API with its /v2/ registry)
                        user ${dtr.info.username}   password alice-password or the API token ${dtr.info.password}
                        (engineering/api: policies, team access, a multi-platform tag with a scan of 640 CVEs;
                        engineering/many: 150 tags; admin / admin-password sees Administration)` : ''}${quay ? `
    quay (fake)         ${quay.info.url}
                        OAuth token ${quay.info.token}   (user ${quay.info.username}; organizations acme, beta;
                        acme/app: multi-platform "latest" with a Clair report, tag history; acme/alpine: mirror)` : ''}${harbor ? `
    harbor (fake)       ${harbor.info.url}   (Harbor API v2.0 with its /v2/ registry)
                        user ${harbor.info.username}   password ${harbor.info.password}, or the robot account
                        ${harbor.info.robot} with the secret ${harbor.info.robotSecret}
                        (team-a/app: an index with per-platform scans, a signed image with an SBOM, a running scan;
                        team-a/tools/cli: a nested repository; library and dockerhub-proxy are public)` : ''}${noCatalog ? `
    no-catalog          ${noCatalog.info.url}   (the local registry behind a proxy that refuses /v2/_catalog)
                        user ${oci.username}   password ${oci.password}; it says in one line that it lists no
                        repositories: click "Add Repository…" and enter sample/hello or sample/multi` : ''}${ghcr ? `
    github (fake)       ${ghcr.info.url}   (GitHub packages API at /api/v3 with its Container registry)
                        Sign In → "Sign in with your GitHub account": the stand-in GitHub account of code-server
                        (${ghcr.info.username}); or a personal access token ${ghcr.info.token}
                        (octocat/app: 2.0 + latest on one version, an untagged version; octo-org/service is public;
                        deleting asks for delete:packages, Restore Package… / Deleted Versions for write:packages)` : ''}

  Passwords are kept in VS Code SecretStorage (in this browser profile), never in settings.
  Press Ctrl-C to stop.
`);
  await new Promise(() => {}); // until a signal
} catch (e) {
  console.error(`[demo] ${e?.stack ?? e}`);
  await stop();
  process.exit(1);
}
