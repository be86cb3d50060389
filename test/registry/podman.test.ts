import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findEngineClient, loginArgs, pullArgs, type EngineClient } from '../../src/engine/client';
import { engineProblem } from '../../src/engine/problems';
import { runEngine } from '../../src/engine/process';
import { sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';

/**
 * The real Podman (Debian's, installed by scripts/setup-test-tools.sh) against the sandbox registry: it cannot run
 * containers in the test machine, but it logs in and pulls for real. Its registries.conf, storage (vfs) and auth file
 * are this test's own, so nothing outside a temp directory changes.
 */
describe('the real podman against distribution 2.8: login on standard input, pull', () => {
  let sb: Sandbox;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let client: EngineClient;
  let ref: string;

  before(async function () {
    this.timeout(60_000);
    const found = findEngineClient('podman');
    if (!found) throw new Error('podman is not installed: scripts/setup-test-tools.sh installs it');
    client = found;
    sb = await sharedSandbox();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'podman-test-'));
    const conf = (name: string, text: string) => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, text);
      return f;
    };
    env = {
      PATH: process.env.PATH,
      HOME: tmp,
      XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(tmp, 'run-')),
      // The sandbox's certificate is signed by a CA made at run time: the registry is marked insecure for this test only.
      CONTAINERS_REGISTRIES_CONF: conf('registries.conf', `unqualified-search-registries = []\n[[registry]]\nlocation = "${sb.oci.host}"\ninsecure = true\n`),
      CONTAINERS_STORAGE_CONF: conf('storage.conf', `[storage]\ndriver = "vfs"\ngraphroot = "${path.join(tmp, 'storage')}"\nrunroot = "${path.join(tmp, 'runroot')}"\n`),
      REGISTRY_AUTH_FILE: path.join(tmp, 'auth.json'),
    };
    fs.writeFileSync(env.REGISTRY_AUTH_FILE!, '{}', { mode: 0o600 });
    ref = `${sb.oci.host}/sample/hello:1.0`;
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a pull before logging in fails as an auth problem', async () => {
    const r = await runEngine(client.command, pullArgs(ref), { env });
    assert.notEqual(r.code, 0, r.output);
    assert.equal(engineProblem(r.output, 'podman', sb.oci.host).kind, 'auth', r.output);
  });

  it('a wrong password is refused and reads as an auth problem, without the password in the output', async () => {
    const wrong = 'wrong-Password-for-podman-1';
    const r = await runEngine(client.command, loginArgs(sb.oci.host, sb.oci.username), { stdin: wrong, env });
    assert.notEqual(r.code, 0, r.output);
    assert.equal(engineProblem(r.output, 'podman').kind, 'auth', r.output);
    assert.ok(!r.output.includes(wrong));
  });

  it('logs in with the password on standard input only, then pulls the image (and a platform of an index)', async function () {
    this.timeout(120_000);
    const args = loginArgs(sb.oci.host, sb.oci.username);
    assert.ok(!args.some((a) => a.includes(sb.oci.password)), 'the password is no argument');
    const login = await runEngine(client.command, args, { stdin: sb.oci.password, env });
    assert.equal(login.code, 0, login.output);
    assert.match(login.output, /Login Succeeded/);
    assert.ok(!login.output.includes(sb.oci.password));
    const pulled = await runEngine(client.command, pullArgs(ref), { env });
    assert.equal(pulled.code, 0, pulled.output);
    const arm = await runEngine(client.command, pullArgs(`${sb.oci.host}/sample/multi:latest`, 'linux/arm64/v8'), { env });
    assert.equal(arm.code, 0, arm.output);
    assert.ok(!`${pulled.output}${arm.output}`.includes(sb.oci.password));
  });
});
