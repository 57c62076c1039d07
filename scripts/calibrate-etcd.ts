/**
 * Calibration against a real etcd 3.4: start a cluster on 127.0.0.1, take its leader down in a loop (SIGKILL,
 * or SIGTERM where etcd transfers leadership first), measure the failover from the members' own raft log lines,
 * and print measured vs predicted percentiles — the tick-rule model in scripts/calibration/tick-model.ts and,
 * when it is on this branch, the election simulator in src/domain/simulation.
 *
 *   npx tsx scripts/calibrate-etcd.ts --members=3 --trials=40 --fault=kill --pre-vote=false
 *   npm run calibrate -- --members=5 --fault=stop --trials=15
 *
 * Options (defaults in brackets): --members [3] --heartbeat-ms [100] --election-ms [1000] --pre-vote [false,
 * etcd 3.4's default] --trials [30] --fault kill|stop [kill] --base-port [24000, range 24000–24999]
 * --seed [1] (kill moments and the models) --model-trials [20000] --engine-trials [5000] --one-way-ms [0.1] --persist-ms [measured]
 * --json <file> (every trial, raw) --sample <n> [1] (trial whose raft events are printed)
 * --replay <file> (re-analyse a --json recording, gzipped or not, e.g. against a newer simulator, without
 * starting etcd; the recordings behind docs/CALIBRATION.md are in docs/calibration/*.json.gz).
 */
import { EtcdCluster, sleep, wallNowMs } from './calibration/etcd-cluster.js';
import type { RaftEvent } from './calibration/raft-log.js';
import { runTickModel, type TickModelOptions } from './calibration/tick-model.js';
import { summarize, table } from './calibration/stats.js';
import { simulateWithEngine } from './calibration/engine-adapter.js';
import { Random } from '../src/domain/random.js';
import { defaultDiskSyncSpread } from '../src/domain/simulation/election-setup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CalibrationOptions {
  members: number;
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  trials: number;
  fault: 'kill' | 'stop';
  basePort: number;
  seed: number;
}

export interface MeasuredTrial {
  trial: number;
  killed: string;
  oldTerm: number;
  newTerm: number;
  newLeader: string;
  /** Milliseconds from the signal to: the first survivor's campaign, a new leader, every survivor knowing it. */
  firstCampaignMs: number;
  electedMs: number;
  allKnowMs: number;
  /** Winner: from becoming candidate (its last time) to leader — one vote round, incl. persistence. */
  voteRoundMs: number;
  preCandidacies: number;
  candidacies: number;
  ignoredVotes: number;
  rejectedVotes: number;
  winnerSequence: string[];
  events: Array<RaftEvent & { relMs: number }>;
  /**
   * Election events between the previous trial's end and this kill: the previously killed member rejoining
   * (restart, catch-up, settle). Non-empty means the rejoin itself caused a campaign or a new term.
   */
  beforeKill: Array<RaftEvent & { relMs: number }>;
}

/** Where the previous trial's record ended, per cluster. */
const trialEnds = new WeakMap<EtcdCluster, number>();
const electionKinds = new Set([
  'election-timeout',
  'pre-candidate',
  'candidate',
  'leader',
  'vote-cast',
  'vote-rejected',
  'vote-ignored',
  'lost-leader',
  'elected-leader',
]);

/** One failover: find the leader, wait a random part of a heartbeat, signal it, read the logs, restart it. */
export async function runTrial(
  cluster: EtcdCluster,
  o: CalibrationOptions,
  trial: number,
  rng: Random,
): Promise<MeasuredTrial> {
  const status = await cluster.waitHealthy(30_000);
  const oldTerm = status[0]!.term;
  const leader = cluster.memberByHex(status[0]!.leaderHex);
  if (!leader) throw new Error(`leader ${status[0]!.leaderHex} is not a known member`);
  const hexToName = (hex?: string) => (hex ? (cluster.memberByHex(hex)?.name ?? hex) : '');
  // The leader's tick phase is unknown to us, so a uniform delay makes the kill uniform within its heartbeat interval.
  await sleep(rng.nextFloat() * o.heartbeatMs);
  const from = cluster.events.length;
  const previousEnd = trialEnds.get(cluster) ?? from;
  const sig = o.fault === 'kill' ? 'SIGKILL' : 'SIGTERM';
  const killAt = await cluster.signal(leader.name, sig);
  const survivors = cluster.members.filter((m) => m.name !== leader.name).map((m) => m.name);

  // Wait until a survivor leads at a newer term and every survivor has logged that it knows the leader.
  const deadline = wallNowMs() + 20 * o.electionMs + 10_000;
  let newLeaderEv: RaftEvent | undefined;
  let known = new Map<string, RaftEvent>();
  for (;;) {
    const evs = cluster.events.slice(from);
    newLeaderEv = evs.find((e) => e.kind === 'leader' && e.term > oldTerm && survivors.includes(e.member));
    if (newLeaderEv) {
      const leaderHex = cluster.members.find((m) => m.name === newLeaderEv!.member)!.idHex;
      known = new Map();
      for (const e of evs) {
        if (e.kind === 'elected-leader' && e.peer === leaderHex && e.term === newLeaderEv.term && !known.has(e.member))
          known.set(e.member, e);
      }
      if (survivors.every((s) => known.has(s))) break;
    }
    if (wallNowMs() > deadline) {
      const dump = cluster.events
        .slice(from)
        .map((e) => `  +${(e.tsMs - killAt).toFixed(0)} ms ${e.member} ${e.msg}`)
        .join('\n');
      throw new Error(
        `trial ${trial}: no new leader known by all survivors in time; raft events since the signal:\n${dump}`,
      );
    }
    await sleep(20);
  }
  await sleep(2 * o.heartbeatMs); // let late lines (rejections, stragglers) arrive for the record
  const evs = cluster.events
    .slice(from)
    .sort((a, b) => a.tsMs - b.tsMs)
    .filter((e) => e.tsMs >= killAt - 2 && e.tsMs <= newLeaderEv.tsMs + 2 * o.heartbeatMs);
  const winner = newLeaderEv.member;
  const winnerEvs = evs.filter((e) => e.member === winner);
  const lastCandidate = [...winnerEvs].reverse().find((e) => e.kind === 'candidate' && e.tsMs <= newLeaderEv.tsMs);
  const firstCampaign = evs.find(
    (e) => survivors.includes(e.member) && (e.kind === 'election-timeout' || e.kind === 'timeout-now'),
  );
  const result: MeasuredTrial = {
    trial,
    killed: leader.name,
    oldTerm,
    newTerm: newLeaderEv.term,
    newLeader: winner,
    firstCampaignMs: firstCampaign ? firstCampaign.tsMs - killAt : Number.NaN,
    electedMs: newLeaderEv.tsMs - killAt,
    allKnowMs: Math.max(...[...known.values()].map((e) => e.tsMs)) - killAt,
    voteRoundMs: lastCandidate ? newLeaderEv.tsMs - lastCandidate.tsMs : Number.NaN,
    preCandidacies: evs.filter((e) => e.kind === 'pre-candidate').length,
    candidacies: evs.filter((e) => e.kind === 'candidate').length,
    ignoredVotes: evs.filter((e) => e.kind === 'vote-ignored').length,
    rejectedVotes: evs.filter((e) => e.kind === 'vote-rejected').length,
    winnerSequence: winnerEvs
      .filter((e) => ['pre-candidate', 'candidate', 'leader'].includes(e.kind) && e.tsMs <= newLeaderEv.tsMs)
      .map((e) => e.kind),
    events: evs.map(
      (e) =>
        ({ ...e, relMs: e.tsMs - killAt, peer: e.peer ? hexToName(e.peer) : undefined }) as RaftEvent & {
          relMs: number;
        },
    ),
    beforeKill: cluster.events
      .slice(previousEnd, from)
      .filter((e) => electionKinds.has(e.kind) && !(e.kind === 'elected-leader' && e.term === oldTerm))
      .map(
        (e) =>
          ({ ...e, relMs: e.tsMs - killAt, peer: e.peer ? hexToName(e.peer) : undefined }) as RaftEvent & {
            relMs: number;
          },
      ),
  };
  await cluster.restart(leader.name);
  await cluster.waitHealthy(30_000);
  // Let the restarted member settle as a follower (its first heartbeats, its own initial tick advance).
  await sleep(o.electionMs / 2);
  trialEnds.set(cluster, cluster.events.length);
  return result;
}

function parseArgs(argv: string[]): CalibrationOptions & {
  modelTrials: number;
  engineTrials: number;
  oneWayMs: number;
  persistMs?: number;
  json?: string;
  replay?: string;
  sample: number;
} {
  if (argv.includes('--help') || argv.includes('-h')) {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    console.log(
      source
        .slice(source.indexOf('/**') + 3, source.indexOf('*/'))
        .replace(/^ \* ?/gm, '')
        .trim(),
    );
    process.exit(0);
  }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) args.set(a.slice(2, eq), a.slice(eq + 1));
    else args.set(a.slice(2), argv[++i] ?? '');
  }
  const num = (k: string, d: number) => {
    const v = args.get(k);
    args.delete(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${k} must be a number`);
    return n;
  };
  const str = (k: string) => {
    const v = args.get(k);
    args.delete(k);
    return v;
  };
  const fault = str('fault') ?? 'kill';
  if (fault !== 'kill' && fault !== 'stop') throw new Error('--fault must be kill or stop');
  const pv = str('pre-vote') ?? 'false';
  const persist = str('persist-ms');
  const o = {
    members: num('members', 3),
    heartbeatMs: num('heartbeat-ms', 100),
    electionMs: num('election-ms', 1000),
    preVote: pv === 'true' || pv === 'on',
    trials: num('trials', 30),
    fault: fault as 'kill' | 'stop',
    basePort: num('base-port', 24000),
    seed: num('seed', 1),
    modelTrials: num('model-trials', 20_000),
    engineTrials: num('engine-trials', 5_000),
    oneWayMs: num('one-way-ms', 0.1),
    persistMs: persist === undefined ? undefined : Number(persist),
    json: str('json'),
    replay: str('replay'),
    sample: num('sample', 1),
  };
  if (args.size) throw new Error(`unknown option(s): ${[...args.keys()].map((k) => `--${k}`).join(' ')}`);
  if (o.members < 3 || o.members > 7) throw new Error('--members must be 3..7');
  return o;
}

function printTimeline(t: MeasuredTrial): void {
  console.log(
    `\nSample trial ${t.trial}: ${t.killed} (leader, term ${t.oldTerm}) signalled at +0 ms; raft events of every member:`,
  );
  for (const e of t.events) {
    const peer = e.peer ? ` ${e.peer}` : '';
    const pre = e.pre === undefined ? '' : e.pre ? ' (pre-vote)' : ' (vote)';
    console.log(`  +${e.relMs.toFixed(0).padStart(5)} ms  ${e.member}  ${e.kind}${pre}${peer}  term ${e.term}`);
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const version = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  console.log(
    `# etcd calibration ${new Date().toISOString()}  ${version}; ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if (!o.replay)
    console.log(
      `# members=${o.members} heartbeat=${o.heartbeatMs}ms election=${o.electionMs}ms pre-vote=${o.preVote} fault=${o.fault} trials=${o.trials} seed=${o.seed}`,
    );
  const trials: MeasuredTrial[] = [];
  const recordedAt = new Date().toISOString();
  const loadStart = loadavg();
  if (o.replay) {
    // Re-analyse a recorded run (e.g. against a newer simulator) without starting etcd.
    const raw = readFileSync(o.replay);
    const data = JSON.parse((o.replay.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as {
      options: CalibrationOptions;
      trials: MeasuredTrial[];
      recordedAt?: string;
    };
    const { members, heartbeatMs, electionMs, preVote, fault, seed } = data.options;
    Object.assign(o, { members, heartbeatMs, electionMs, preVote, fault, seed, trials: data.trials.length });
    trials.push(...data.trials.map((t) => ({ ...t, beforeKill: t.beforeKill ?? [] })));
    console.log(
      `# replayed ${trials.length} trials recorded ${data.recordedAt ?? '(date not recorded)'} from ${o.replay}: members=${members} heartbeat=${heartbeatMs}ms election=${electionMs}ms pre-vote=${preVote} fault=${fault}`,
    );
  } else {
    const cluster = new EtcdCluster({
      members: o.members,
      heartbeatMs: o.heartbeatMs,
      electionMs: o.electionMs,
      preVote: o.preVote,
      basePort: o.basePort,
    });
    const cleanup = () => cluster.close();
    process.once('SIGINT', () => {
      cleanup();
      process.exit(130);
    });
    process.once('SIGTERM', () => {
      cleanup();
      process.exit(143);
    });
    process.once('exit', cleanup);
    const rng = Random.derive(o.seed, 'kill-moments');
    const started = Date.now();
    try {
      await cluster.start();
      await sleep(o.electionMs); // past the start-up election
      for (let i = 1; i <= o.trials; i++) {
        const t = await runTrial(cluster, o, i, rng);
        trials.push(t);
        process.stderr.write(
          `trial ${i}/${o.trials}: ${t.killed}→${t.newLeader} elected +${t.electedMs.toFixed(0)} ms, all know +${t.allKnowMs.toFixed(0)} ms, terms ${t.newTerm - t.oldTerm}\n`,
        );
      }
    } finally {
      cleanup();
    }
    console.log(
      `# ${trials.length} trials in ${((Date.now() - started) / 1000).toFixed(0)} s; load now ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  }

  const sample = trials[Math.min(o.sample, trials.length) - 1];
  if (sample) printTimeline(sample);
  // A trial that needed more than one term shows why (e.g. a vote ignored under the leader lease).
  const multi = trials.find((t) => t.newTerm - t.oldTerm > 1 && t !== sample);
  if (multi) printTimeline(multi);

  // The model's persistence delay: by default the median measured vote round (candidate → leader) halved, as a
  // vote round on loopback is two persists (candidate's term+vote, voter's vote) plus two ~0 hops.
  const voteRounds = summarize(trials.map((t) => t.voteRoundMs));
  const persistMs = o.persistMs ?? Math.max(0, (voteRounds.p50 - 2 * o.oneWayMs) / 2);
  const modelBase: TickModelOptions = {
    members: o.members,
    heartbeatMs: o.heartbeatMs,
    electionMs: o.electionMs,
    preVote: o.preVote,
    oneWayMs: o.oneWayMs,
    persistMs: 0,
    fault: o.fault === 'kill' ? 'crash' : 'transfer',
  };
  const pure = runTickModel(modelBase, o.modelTrials, o.seed);
  const withPersist = runTickModel({ ...modelBase, persistMs }, o.modelTrials, o.seed);

  const rows: Array<[string, ReturnType<typeof summarize>]> = [];
  const engine = await simulateWithEngine({
    ...o,
    trials: o.engineTrials,
    oneWayMs: o.oneWayMs,
    diskSyncMs: persistMs,
  });
  // The engine again as the API answers by default: fsync log-normal, median 1 ms (etcd.diskSyncMs), spread
  // networkModel.diskSyncSpread's default (fitted to the graceful stops of 2026-11-26, docs/CALIBRATION.md).
  const engineDefault = await simulateWithEngine({
    ...o,
    trials: o.engineTrials,
    oneWayMs: o.oneWayMs,
    diskSyncMs: 1,
    diskSyncSpread: defaultDiskSyncSpread,
  });
  const section = (
    label: string,
    pick: (x: { firstCampaignMs: number; electedMs: number; allKnowMs: number }) => number,
  ) => {
    rows.push([`${label}: etcd measured`, summarize(trials.map(pick))]);
    rows.push([`${label}: tick model, 0 ms persist`, summarize(pure.map(pick))]);
    rows.push([`${label}: tick model, ${persistMs.toFixed(1)} ms persist`, summarize(withPersist.map(pick))]);
    if (engine.ok)
      rows.push([`${label}: engine, ${persistMs.toFixed(1)} ms disk sync`, summarize(engine.trials.map(pick))]);
    if (engineDefault.ok)
      rows.push([
        `${label}: engine, default fsync (1 ms, spread ${defaultDiskSyncSpread})`,
        summarize(engineDefault.trials.map(pick)),
      ]);
  };
  section('first campaign', (x) => x.firstCampaignMs);
  section('new leader elected', (x) => x.electedMs);
  section('all survivors know it', (x) => x.allKnowMs);
  console.log('\nFrom the signal (ms):');
  console.log(table(rows));
  // The claims ledger (raft-election-timing) says a follower campaigns 1.0–1.9 s after the last heartbeat; raft's tickElection campaigns at
  // the r-th own tick after the heartbeat zeroed the count, i.e. (r − 1)·T + phase, so 0.9–1.9 s. A kill comes
  // less than T after the last heartbeat, so a campaign within (ET − 1)·T of the kill shows the earlier edge.
  if (o.fault === 'kill') {
    const edgeMs = (Math.floor(o.electionMs / o.heartbeatMs) - 1) * o.heartbeatMs;
    const share = (xs: number[]) => xs.filter((x) => x < edgeMs).length;
    const measuredEarly = share(trials.map((t) => t.firstCampaignMs));
    console.log(
      `\nFirst campaign earlier than ${edgeMs} ms after the kill (impossible if campaigns came ≥ ET·T after the last heartbeat): measured ${measuredEarly}/${trials.length} (${((100 * measuredEarly) / (trials.length || 1)).toFixed(1)}%), tick model ${((100 * share(withPersist.map((t) => t.firstCampaignMs))) / withPersist.length).toFixed(1)}%${engine.ok ? `, engine ${((100 * share(engine.trials.map((t) => t.firstCampaignMs))) / engine.trials.length).toFixed(1)}%` : ''}`,
    );
  }
  console.log(
    `\nVote round, winner candidate → leader (measured): p50 ${voteRounds.p50.toFixed(0)} ms, p90 ${voteRounds.p90.toFixed(0)} ms, max ${voteRounds.max.toFixed(0)} ms`,
  );

  const termsHist = (xs: number[]) => {
    const h = new Map<number, number>();
    for (const x of xs) h.set(x, (h.get(x) ?? 0) + 1);
    return [...h.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([k, v]) => `${k}: ${((100 * v) / xs.length).toFixed(1)}%`)
      .join(', ');
  };
  console.log(
    `Terms used (new − old): measured {${termsHist(trials.map((t) => t.newTerm - t.oldTerm))}}; tick model {${termsHist(withPersist.map((t) => t.terms))}}${engine.ok ? `; engine {${termsHist(engine.trials.map((t) => t.terms))}}` : ''}`,
  );
  const disrupted = trials.filter((t) => t.beforeKill.some((e) => e.kind === 'candidate' || e.kind === 'leader'));
  console.log(
    `Rejoins that caused a new term before the next kill: ${disrupted.length} of ${Math.max(0, trials.length - 1)}${disrupted.length ? ` (trials ${disrupted.map((t) => t.trial).join(', ')})` : ''}`,
  );
  for (const t of disrupted.slice(0, 2)) {
    console.log(`  before trial ${t.trial} (ms relative to its kill):`);
    for (const e of t.beforeKill) console.log(`    ${e.relMs.toFixed(0).padStart(6)} ms  ${e.member}  ${e.msg}`);
  }
  console.log(
    `Ignored (lease) vote requests: ${trials.reduce((s, t) => s + t.ignoredVotes, 0)} over ${trials.length} trials; rejected: ${trials.reduce((s, t) => s + t.rejectedVotes, 0)}; pre-candidacies: ${trials.reduce((s, t) => s + t.preCandidacies, 0)}; candidacies: ${trials.reduce((s, t) => s + t.candidacies, 0)}`,
  );
  const seqHist = (xs: string[][]) => {
    const h = new Map<string, number>();
    for (const x of xs) h.set(x.join('→'), (h.get(x.join('→')) ?? 0) + 1);
    return [...h.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${((100 * v) / xs.length).toFixed(1)}%`)
      .join('; ');
  };
  console.log(
    `Winner's sequence: measured {${seqHist(trials.map((t) => t.winnerSequence))}}; tick model {${seqHist(withPersist.map((t) => t.winnerSequence))}}${engine.ok ? `; engine {${seqHist(engine.trials.map((t) => t.winnerSequence))}}` : ''}`,
  );
  if (!engine.ok) console.log(`Engine: ${engine.reason}`);
  else if (engine.sampleTimeline) console.log(`\nEngine sample timeline (seed ${o.seed}):\n${engine.sampleTimeline}`);

  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        { options: o, version, cpus: cpus().length, recordedAt, loadStart, loadEnd: loadavg(), trials },
        null,
        2,
      ),
    );
    console.log(`\nRaw trials written to ${o.json}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
