/**
 * @module calibration/etcd-cluster
 * A real etcd 3.4 cluster on 127.0.0.1 for calibration: start, kill or stop a member, restart it on its data dir,
 * wait for health, and collect each member's raft log lines (zap JSON with "ts") as they are written.
 *
 * Every process is started here and ended by its PID; the data dirs live under one temp dir removed by close().
 * Ports: member i listens for clients on basePort + 2i and for peers on basePort + 2i + 1.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseRaftLine, type RaftEvent } from './raft-log.js';

const execFileAsync = promisify(execFile);

export interface ClusterOptions {
  members: number;
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  /** First port; the cluster uses basePort .. basePort + 2·members − 1. */
  basePort: number;
  etcdBinary?: string;
  etcdctlBinary?: string;
}

export interface MemberStatus {
  name: string;
  idHex: string;
  leaderHex: string;
  term: number;
  raftIndex: number;
}

interface Member {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  process?: ChildProcess;
  /** Hex raft id, learned from the "starting local member" line. */
  idHex?: string;
}

/** Wall-clock time in ms with sub-ms precision, on the same clock etcd stamps its log lines with. */
export function wallNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EtcdCluster {
  readonly members: Member[];
  readonly events: RaftEvent[] = [];
  /** Raw lines per member, kept for the sample timeline and for debugging a failed trial. */
  readonly rawLines = new Map<string, string[]>();
  private readonly rootDir: string;
  private closed = false;

  constructor(readonly options: ClusterOptions) {
    if (options.basePort < 24000 || options.basePort + 2 * options.members > 25000) {
      throw new Error('calibration ports must lie within 24000–24999');
    }
    this.rootDir = mkdtempSync(join(tmpdir(), 'etcd-calibration-'));
    this.members = Array.from({ length: options.members }, (_, i) => ({
      name: `m${i}`,
      clientUrl: `http://127.0.0.1:${options.basePort + 2 * i}`,
      peerUrl: `http://127.0.0.1:${options.basePort + 2 * i + 1}`,
      dataDir: join(this.rootDir, `m${i}`),
    }));
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  memberByHex(idHex: string): Member | undefined {
    return this.members.find((m) => m.idHex === idHex);
  }

  isRunning(name: string): boolean {
    const m = this.members.find((x) => x.name === name);
    return !!m?.process && m.process.exitCode === null && m.process.signalCode === null;
  }

  async start(): Promise<void> {
    for (const m of this.members) {
      mkdirSync(m.dataDir, { recursive: true });
      this.spawnMember(m, 'new');
    }
    await this.waitHealthy(30_000);
  }

  private spawnMember(m: Member, state: 'new' | 'existing'): void {
    const o = this.options;
    const initialCluster = this.members.map((x) => `${x.name}=${x.peerUrl}`).join(',');
    const args = [
      `--name=${m.name}`,
      `--data-dir=${m.dataDir}`,
      `--listen-client-urls=${m.clientUrl}`,
      `--advertise-client-urls=${m.clientUrl}`,
      `--listen-peer-urls=${m.peerUrl}`,
      `--initial-advertise-peer-urls=${m.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      // With an existing WAL etcd ignores this flag; "existing" states the intent on restarts.
      `--initial-cluster-state=${state}`,
      '--initial-cluster-token=calibration',
      `--heartbeat-interval=${o.heartbeatMs}`,
      `--election-timeout=${o.electionMs}`,
      `--pre-vote=${o.preVote}`,
      '--logger=zap',
      '--log-outputs=stderr',
    ];
    const child = spawn(o.etcdBinary ?? 'etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    m.process = child;
    const raw = this.rawLines.get(m.name) ?? [];
    this.rawLines.set(m.name, raw);
    let buffered = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        raw.push(line);
        this.onLine(m, line);
      }
    });
  }

  private onLine(m: Member, line: string): void {
    if (!m.idHex) {
      const id = /"local-member-id":"([0-9a-f]+)"/.exec(line);
      if (id) m.idHex = id[1];
    }
    const event = parseRaftLine(line, m.name);
    if (event) this.events.push(event);
  }

  /** SIGKILL (crash) or SIGTERM (graceful stop); resolves when the process has exited. */
  async signal(name: string, sig: 'SIGKILL' | 'SIGTERM'): Promise<number> {
    const m = this.members.find((x) => x.name === name)!;
    const child = m.process!;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const at = wallNowMs();
    process.kill(child.pid!, sig);
    // An unref'd timer: a pending 20 s guard must not keep the script alive after the last trial.
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref())]);
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    }
    return at;
  }

  async restart(name: string): Promise<void> {
    const m = this.members.find((x) => x.name === name)!;
    this.spawnMember(m, 'existing');
  }

  async etcdctl(args: string[], timeoutMs = 5000): Promise<string> {
    const { stdout } = await execFileAsync(this.options.etcdctlBinary ?? 'etcdctl', args, {
      env: { ...process.env, ETCDCTL_API: '3' },
      timeout: timeoutMs,
    });
    return stdout;
  }

  /** `etcdctl endpoint status -w json` over the given endpoints; ids are > 2^53, so they are read as text. */
  async status(endpoints = this.endpoints): Promise<MemberStatus[]> {
    const out = await this.etcdctl([
      '--command-timeout=2s',
      `--endpoints=${endpoints.join(',')}`,
      'endpoint',
      'status',
      '-w',
      'json',
    ]);
    const quoted = out.replace(/"(member_id|leader|cluster_id)":(\d+)/g, '"$1":"$2"');
    const rows = JSON.parse(quoted) as Array<{
      Endpoint: string;
      Status: { header: { member_id: string }; leader: string; raftTerm: number; raftIndex: number };
    }>;
    return rows.map((r) => ({
      name: this.members.find((m) => m.clientUrl.endsWith(r.Endpoint.replace(/^https?:\/\//, '')))?.name ?? r.Endpoint,
      idHex: BigInt(r.Status.header.member_id).toString(16),
      leaderHex: BigInt(r.Status.leader).toString(16),
      term: r.Status.raftTerm,
      raftIndex: r.Status.raftIndex,
    }));
  }

  /**
   * Healthy: every member answers, all name the same leader at the same term, and raft indexes agree
   * (the restarted member has caught up). Returns that status.
   */
  async waitHealthy(timeoutMs: number): Promise<MemberStatus[]> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const st = await this.status();
        const leaders = new Set(st.map((s) => s.leaderHex));
        const terms = new Set(st.map((s) => s.term));
        const indexes = new Set(st.map((s) => s.raftIndex));
        if (
          st.length === this.members.length &&
          leaders.size === 1 &&
          terms.size === 1 &&
          indexes.size === 1 &&
          !leaders.has('0')
        ) {
          return st;
        }
        last = JSON.stringify(st);
      } catch (err) {
        last = String(err).slice(0, 300);
      }
      await sleep(100);
    }
    throw new Error(`cluster not healthy within ${timeoutMs} ms; last: ${last}`);
  }

  /** Ends every member by PID and removes the data dirs. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const m of this.members) {
      const p = m.process;
      if (p?.pid && p.exitCode === null && p.signalCode === null) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}
