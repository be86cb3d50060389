import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findEngineClient, hostPlatform, loginArgs, pullArgs, runArgs, splitCommand } from '../../src/engine/client';
import { engineProblem, notInstalled } from '../../src/engine/problems';
import { runEngine } from '../../src/engine/process';
import { redact } from '../../src/registry/redact';

const FAKE_DIR = path.join(__dirname, '../support/fakeEngine');
const FAKE = path.join(FAKE_DIR, 'docker');
const SECRET = 'engine-Secret-9f3a1c77';
const REF = '127.0.0.1:5000/sample/hello:1.0';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, FAKE_DOCKER_LOG: path.join(tmp, 'calls.jsonl'), FAKE_DOCKER_STATE: tmp, FAKE_DOCKER_PASSWORD: SECRET, FAKE_DOCKER_USER: 'alice', ...extra };
}

interface Call {
  args: string[];
  stdinMatches?: boolean;
  stdinBytes?: number;
  violation?: string;
}

function calls(): Call[] {
  const f = path.join(tmp, 'calls.jsonl');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call) : [];
}

function bin(dir: string, name: string, executable = true): string {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, name);
  fs.writeFileSync(f, '#!/bin/sh\n', { mode: executable ? 0o755 : 0o644 });
  return f;
}

describe('container engine: which program', () => {
  it('auto takes docker from PATH, else podman; docker / podman name one; a path is taken as it is', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const podman = bin(a, 'podman');
    assert.deepEqual(findEngineClient('auto', { PATH: [a, b].join(path.delimiter) }), { command: podman, flavour: 'podman' });
    const docker = bin(b, 'docker');
    assert.deepEqual(findEngineClient('auto', { PATH: [a, b].join(path.delimiter) }), { command: docker, flavour: 'docker' });
    assert.deepEqual(findEngineClient(undefined, { PATH: b }), { command: docker, flavour: 'docker' });
    assert.deepEqual(findEngineClient('podman', { PATH: [b, a].join(path.delimiter) }), { command: podman, flavour: 'podman' });
    assert.equal(findEngineClient('podman', { PATH: b }), undefined);
    assert.deepEqual(findEngineClient(podman, { PATH: '' }), { command: podman, flavour: 'podman' });
    assert.deepEqual(findEngineClient(docker, { PATH: '' }), { command: docker, flavour: 'docker' });
  });

  it('finds nothing rather than a wrong program: not on PATH, not executable, a relative path', () => {
    assert.equal(findEngineClient('auto', { PATH: path.join(tmp, 'none') }), undefined);
    const c = path.join(tmp, 'c');
    const notExec = bin(c, 'docker', false);
    assert.equal(findEngineClient('auto', { PATH: c }), undefined);
    assert.equal(findEngineClient(notExec, { PATH: '' }), undefined);
    assert.equal(findEngineClient('bin/docker', { PATH: '' }), undefined);
    assert.match(notInstalled('auto').message, /Neither docker nor podman was found on PATH\. Install Docker or Podman, or set registryExplorer\.containerClient/);
    assert.match(notInstalled('/opt/x/docker').message, /\/opt\/x\/docker is not an executable file/);
  });
});

describe('container engine: command lines', () => {
  it('pull and run take the reference, the picked platform and --rm -it; the default command stays the image’s', () => {
    assert.deepEqual(pullArgs(REF), ['pull', REF]);
    assert.deepEqual(pullArgs(REF, 'linux/arm64/v8'), ['pull', '--platform', 'linux/arm64/v8', REF]);
    const byDigest = `127.0.0.1:5000/sample/hello@sha256:${'a'.repeat(64)}`;
    assert.deepEqual(pullArgs(byDigest), ['pull', byDigest]);
    assert.deepEqual(runArgs(REF), ['run', '--rm', '-it', REF]);
    assert.deepEqual(runArgs(REF, { platform: 'linux/amd64', command: ['sh', '-c', 'echo hi'] }), ['run', '--rm', '-it', '--platform', 'linux/amd64', REF, 'sh', '-c', 'echo hi']);
  });

  it('refuses a reference or platform that could be read as an option or carry anything else', () => {
    for (const bad of ['--privileged', '-v/:/host', 'host/a:1 b', 'host/a;rm -rf', 'host/../x:1', 'sample/hello', 'host/a:$(id)']) assert.throws(() => pullArgs(bad), /not an image reference/, bad);
    for (const bad of ['--privileged', 'linux', 'linux/amd64 x', 'linux/amd64/v8/x']) assert.throws(() => pullArgs(REF, bad), /not a platform/, bad);
  });

  it('login names the user and --password-stdin, never the password', () => {
    const args = loginArgs('ghcr.io', 'alice');
    assert.deepEqual(args, ['login', '--username', 'alice', '--password-stdin', 'ghcr.io']);
    assert.throws(() => loginArgs('evil.example/x', 'alice'), /not a registry host/);
    assert.throws(() => loginArgs('--help', 'alice'), /not a registry host/);
    assert.throws(() => loginArgs('ghcr.io', ''), /empty/);
  });

  it('splits a typed command like a shell, without expanding it', () => {
    assert.deepEqual(splitCommand(''), []);
    assert.deepEqual(splitCommand('  sh  '), ['sh']);
    assert.deepEqual(splitCommand(`sh -c "echo \\"hi\\" \\$HOME" 'a b' c\\ d ''`), ['sh', '-c', 'echo "hi" $HOME', 'a b', 'c d', '']);
    assert.throws(() => splitCommand('sh -c "echo'), /unclosed " quote/);
  });

  it('the platform pulled by default is Linux on this CPU', () => {
    assert.equal(hostPlatform('x64'), 'linux/amd64');
    assert.equal(hostPlatform('arm64'), 'linux/arm64');
  });
});

describe('container engine: errors become one message with what to do', () => {
  it('reads Docker’s and Podman’s own wording', () => {
    const cases: Array<[string, 'docker' | 'podman', string, RegExp]> = [
      ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'docker', 'daemon', /daemon is not running\. Start Docker Desktop, or the service/],
      ['permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version": dial unix /var/run/docker.sock: connect: permission denied', 'docker', 'permission', /docker group/],
      ['Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`', 'podman', 'daemon', /podman machine start/],
      ['Error response from daemon: Head "https://ghcr.io/v2/o/a/manifests/1": unauthorized', 'docker', 'auth', /not logged in to ghcr\.io/],
      ['Error response from daemon: pull access denied for x, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied', 'docker', 'auth', /not logged in/],
      ['Error: initializing source docker://127.0.0.1:5000/a:1: reading manifest 1 in 127.0.0.1:5000/a: authentication required', 'podman', 'auth', /Podman is not logged in/],
      ['Error response from daemon: manifest for 127.0.0.1:5000/a:2 not found: manifest unknown: manifest unknown', 'docker', 'notFound', /has no such image/],
      ['something else', 'docker', 'other', /Docker failed\. See the terminal/],
    ];
    for (const [output, flavour, kind, message] of cases) {
      const p = engineProblem(output, flavour, 'ghcr.io');
      assert.equal(p.kind, kind, output);
      assert.match(p.message, message, output);
    }
  });
});

describe('container engine: the recorded fake docker', () => {
  it('login gets the password on standard input only; it is in no argument, no record and no output', async () => {
    const r = await runEngine(FAKE, loginArgs('127.0.0.1:5000', 'alice'), { stdin: SECRET, env: fakeEnv() });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Login Succeeded/);
    const [call] = calls();
    assert.deepEqual(call!.args, ['login', '--username', 'alice', '--password-stdin', '127.0.0.1:5000']);
    assert.equal(call!.stdinMatches, true);
    assert.equal(call!.violation, undefined);
    assert.doesNotMatch(fs.readFileSync(path.join(tmp, 'calls.jsonl'), 'utf8'), new RegExp(SECRET));
  });

  it('a refused login says so, and an engine that quotes the password back has it removed from the output', async () => {
    const wrong = 'not-The-Password-12345';
    const r = await runEngine(FAKE, loginArgs('127.0.0.1:5000', 'alice'), { stdin: wrong, env: fakeEnv({ FAKE_DOCKER_ECHO: '1' }) });
    assert.equal(r.code, 1);
    assert.match(r.output, /incorrect username or password/);
    assert.doesNotMatch(r.output, new RegExp(wrong));
    assert.equal(engineProblem(r.output, 'docker').kind, 'auth');
    // Afterwards the secret is still removed from text for a while (it moved to the recent list).
    assert.doesNotMatch(redact(`echo ${wrong}`), new RegExp(wrong));
  });

  it('a pull the registry refuses is an auth problem until the engine is logged in; then it pulls', async () => {
    const env = fakeEnv({ FAKE_DOCKER_REQUIRE_LOGIN: '1' });
    const refused = await runEngine(FAKE, pullArgs(REF), { env });
    assert.equal(refused.code, 1);
    assert.equal(engineProblem(refused.output, 'docker', '127.0.0.1:5000').kind, 'auth');
    assert.equal((await runEngine(FAKE, loginArgs('127.0.0.1:5000', 'alice'), { stdin: SECRET, env })).code, 0);
    const pulled = await runEngine(FAKE, pullArgs(REF, 'linux/arm64'), { env });
    assert.equal(pulled.code, 0, pulled.output);
    assert.match(pulled.output, /Status: Downloaded newer image for 127\.0\.0\.1:5000\/sample\/hello:1\.0/);
    assert.deepEqual(calls().map((c) => c.args), [pullArgs(REF), loginArgs('127.0.0.1:5000', 'alice'), pullArgs(REF, 'linux/arm64')]);
    assert.ok(calls().every((c) => !c.args.some((a) => a.includes(SECRET))));
  });

  it('stops a pull when asked (Ctrl+C or closing the terminal)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const seen: string[] = [];
    setTimeout(() => ac.abort(), 300);
    const r = await runEngine(FAKE, pullArgs(REF), { env: fakeEnv({ FAKE_DOCKER_SLOW: '1' }), signal: ac.signal, onOutput: (s) => seen.push(s) });
    assert.notEqual(r.code, 0);
    assert.ok(Date.now() - started < 10_000);
    assert.match(seen.join(''), /Pulling fs layer/);
  });

  it('a daemon that is not running, a socket that refuses, and a missing program are told apart', async () => {
    const daemon = await runEngine(FAKE, pullArgs(REF), { env: fakeEnv({ FAKE_DOCKER_MODE: 'daemon' }) });
    assert.equal(engineProblem(daemon.output, 'docker').kind, 'daemon');
    const perm = await runEngine(FAKE, pullArgs(REF), { env: fakeEnv({ FAKE_DOCKER_MODE: 'permission' }) });
    assert.equal(engineProblem(perm.output, 'docker').kind, 'permission');
    const missing = await runEngine(path.join(tmp, 'no-such-docker'), pullArgs(REF));
    assert.equal(missing.spawnError, 'ENOENT');
  });

  it('the fake itself refuses a password given as an argument (so the tests above would catch one)', async () => {
    const r = await runEngine(FAKE, ['login', '--username', 'alice', '--password', SECRET, '127.0.0.1:5000'], { env: fakeEnv() });
    assert.equal(r.code, 99);
    assert.equal(calls()[0]!.violation, 'password in arguments');
  });
});
