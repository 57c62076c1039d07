/**
 * Runs generated etcd flag sets as real etcd processes on 127.0.0.1, for the integration tests.
 *
 * The generated flags are for production: TLS on the members' own addresses and the standard ports. For a
 * test on one machine they are mapped, and only mapped: each member's https URLs become plain-http loopback
 * URLs on ports of its own (23000–23999; other suites use 24000+), the TLS flags are dropped (no
 * certificates here; plain HTTP is for this test only), and the data directory moves to a temporary one.
 * Every other flag goes to etcd exactly as generated.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flag } from '../../src/domain/config/command-line.js';
import type { MemberEndpoints } from '../../src/domain/config/etcd-members.js';

export const tlsFlags = new Set([
  '--cert-file',
  '--key-file',
  '--trusted-ca-file',
  '--client-cert-auth',
  '--peer-cert-file',
  '--peer-key-file',
  '--peer-trusted-ca-file',
  '--peer-client-cert-auth',
  '--cacert',
  '--cert',
  '--key',
]);

export interface PortMap {
  /** Generated URL → loopback URL, for every member's advertised client and peer URL. */
  urls: Map<string, string>;
  /** Per member: its generated loopback client URL → its own loopback port (members share one host here). */
  loopback: Map<string, Map<string, string>>;
  clientUrlOf: Map<string, string>;
}

export function portMap(endpoints: MemberEndpoints[], basePort: number): PortMap {
  if (basePort < 23000 || basePort + endpoints.length * 3 > 24000)
    throw new RangeError('ports must stay in 23000–23999');
  const urls = new Map<string, string>();
  const loopback = new Map<string, Map<string, string>>();
  const clientUrlOf = new Map<string, string>();
  endpoints.forEach((e, i) => {
    const client = `http://127.0.0.1:${basePort + 3 * i}`;
    urls.set(e.clientUrl, client);
    urls.set(e.peerUrl, `http://127.0.0.1:${basePort + 3 * i + 1}`);
    clientUrlOf.set(e.member.name, client);
    const own = new Map<string, string>();
    for (const url of e.listenClientUrls) {
      if (url !== e.clientUrl) own.set(url, `http://127.0.0.1:${basePort + 3 * i + 2}`);
    }
    loopback.set(e.member.name, own);
  });
  return { urls, loopback, clientUrlOf };
}

/** Maps one comma-separated URL list (or `name=url` list) value; throws on any https URL it cannot map. */
function mapValue(value: string, urls: Map<string, string>): string {
  const mapped = value
    .split(',')
    .map((part) => {
      const eq = part.startsWith('https://') ? -1 : part.indexOf('=');
      const prefix = eq < 0 ? '' : part.slice(0, eq + 1);
      const url = part.slice(prefix.length);
      if (!url.startsWith('https://')) return part;
      const target = urls.get(url);
      if (target === undefined) throw new Error(`no loopback mapping for ${url}`);
      return prefix + target;
    })
    .join(',');
  return mapped;
}

/** The generated flags, mapped for loopback as described above. */
export function mapFlags(flags: Flag[], map: PortMap, member: string | undefined, dataDir: string | undefined): Flag[] {
  const urls = new Map([...map.urls, ...(member ? (map.loopback.get(member) ?? []) : [])]);
  return flags
    .filter((flag) => !tlsFlags.has(flag.name))
    .map((flag) => {
      if (flag.name === '--data-dir') {
        if (dataDir === undefined) throw new Error('data dir needed');
        return { name: flag.name, value: dataDir };
      }
      return { name: flag.name, value: mapValue(flag.value, urls) };
    });
}

export function argv(flags: Flag[]): string[] {
  return flags.map((flag) => `${flag.name}=${flag.value}`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, env: { ...process.env, ETCDCTL_API: '3' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export async function eventually<T>(
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes and directories the suite created, so that afterAll can end and remove every one. */
export class Processes {
  readonly children = new Map<string, ChildProcess>();
  readonly logs = new Map<string, string[]>();
  readonly dirs: string[] = [];

  tempDir(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `config-etcd-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  start(name: string, command: string, args: string[]): ChildProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    this.logs.set(name, log);
    child.stdout?.on('data', (chunk) => log.push(String(chunk)));
    child.stderr?.on('data', (chunk) => log.push(String(chunk)));
    this.children.set(name, child);
    return child;
  }

  /** SIGKILL by PID and wait until the process is gone. */
  async kill(name: string): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.pid === undefined) return;
    this.children.delete(name);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }

  /** Waits for a process to exit by itself (used for flags etcd refuses). */
  async exitOf(name: string, timeoutMs: number): Promise<number | null> {
    const child = this.children.get(name)!;
    if (child.exitCode !== null) return child.exitCode;
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const result = await Promise.race([exit, timer]);
    return result === 'timeout' ? null : result;
  }

  async cleanup(): Promise<void> {
    for (const name of [...this.children.keys()]) await this.kill(name);
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
