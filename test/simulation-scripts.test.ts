/// <reference types="vite/client" />
/**
 * Data-driven Raft scripts in the style of etcd-io/raft testdata/*.txt: each file under simulation-scripts/
 * holds commands and, after `----`, the expected trace; blocks are separated by a blank line. The small
 * interpreter below runs each command on a RaftFixture and prints what the member did: the messages it sent,
 * its events (in the timeline's words) and its state. A mismatch fails with both texts.
 *
 * Commands:
 *   cluster members=N [learners=K] [prevote=true] [et=ticks]     a fresh cluster, every member follower term 1
 *   become M STATE term=T [lead=M|-] [vote=M|-] [log=T/I] [elapsed=N] [timeout=N]   precondition
 *   step M TYPE from=M term=T [log=T/I] [reject] [transfer]       one message into M
 *   tick M [N]                                                     N ticks of M's clock (default 1)
 *   transfer M TARGET [match=I]                                    MsgTransferLeader at leader M
 */
import { describe, expect, it } from 'vitest';
import { TimelineRecorder } from '../src/domain/simulation/timeline.js';
import { RaftFixture, type MsgName, type SentMessage, type StateName } from './support/raft-fixture.js';

const files = import.meta.glob('./simulation-scripts/*.txt', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

interface Block {
  command: string;
  expected: string;
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n').filter((l) => !l.startsWith('#'));
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.trim() === '') {
      k++;
      continue;
    }
    const command = lines[k++]!;
    if (lines[k] !== '----') throw new Error(`expected ---- after "${command}"`);
    k++;
    const out: string[] = [];
    while (k < lines.length && lines[k]!.trim() !== '') out.push(lines[k++]!);
    blocks.push({ command, expected: out.join('\n') });
  }
  return blocks;
}

function args(words: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    map.set(eq < 0 ? w : w.slice(0, eq), eq < 0 ? 'true' : w.slice(eq + 1));
  }
  return map;
}

class Interpreter {
  f = new RaftFixture();

  run(command: string): string {
    const [verb, ...rest] = command.trim().split(/\s+/);
    switch (verb) {
      case 'cluster': {
        const a = args(rest);
        this.f = new RaftFixture({
          members: Number(a.get('members') ?? 3),
          learners: Number(a.get('learners') ?? 0),
          preVote: a.get('prevote') === 'true',
          electionTicks: Number(a.get('et') ?? 10),
        });
        return '';
      }
      case 'become': {
        const [who, state, ...more] = rest;
        const a = args(more);
        const i = this.f.id(who!);
        const [logTerm, logIndex] = (a.get('log') ?? '1/1').split('/').map(Number);
        this.f.become(i, state as StateName, {
          term: Number(a.get('term')),
          ...(a.has('lead') ? { lead: this.member(a.get('lead')!) } : {}),
          ...(a.has('vote') ? { vote: this.member(a.get('vote')!) } : {}),
          logTerm: logTerm!,
          logIndex: logIndex!,
          elapsed: Number(a.get('elapsed') ?? 0),
        });
        if (a.has('timeout')) this.f.nodes.randomizedTicks[i] = Number(a.get('timeout'));
        return this.stateLine(i);
      }
      case 'step': {
        const [who, type, ...more] = rest;
        const a = args(more);
        const i = this.f.id(who!);
        const [logTerm, index] = (a.get('log') ?? '0/0').split('/').map(Number);
        const out = this.f.step(i, {
          type: type as MsgName,
          from: this.f.id(a.get('from')!),
          term: Number(a.get('term')),
          logTerm: logTerm!,
          index: index!,
          reject: a.has('reject'),
          transfer: a.has('transfer'),
        });
        return this.trace(i, out);
      }
      case 'tick': {
        const i = this.f.id(rest[0]!);
        return this.trace(i, this.f.tick(i, Number(rest[1] ?? 1)));
      }
      case 'transfer': {
        const [who, target, ...more] = rest;
        const i = this.f.id(who!);
        const t = this.f.id(target!);
        const a = args(more);
        if (a.has('match')) this.f.nodes.match[i * this.f.nodes.n + t] = Number(a.get('match'));
        this.f.nodes.transferLeadership(i, t);
        return this.trace(i, this.f.drain());
      }
      default:
        throw new Error(`unknown command ${verb}`);
    }
  }

  private member(name: string): number {
    return name === '-' ? -1 : this.f.id(name);
  }

  private trace(i: number, out: SentMessage[]): string {
    const names = this.f.names;
    const recorder = new TimelineRecorder(names);
    recorder.reset(Number.MAX_SAFE_INTEGER);
    for (const e of this.f.events) recorder.record(0, e);
    this.f.events.length = 0;
    const lines = recorder.entries.map(
      (e) =>
        `~ ${e.member} ${e.kind} term=${e.term}${e.peer !== undefined ? ` peer=${e.peer}` : ''}${e.detail ? ` (${e.detail})` : ''}`,
    );
    for (const m of out) {
      const log =
        m.type === 'MsgVote' || m.type === 'MsgPreVote' || m.type === 'MsgApp' ? ` log=${m.logTerm}/${m.index}` : '';
      const idx = m.type === 'MsgAppResp' ? ` index=${m.index}` : '';
      lines.push(
        `${names[m.from]}->${names[m.to]} ${m.type} term=${m.term}${log}${idx}${m.reject ? ' reject' : ''}${m.transfer ? ' transfer' : ''}${m.persistFirst ? ' (after sync)' : ''}`,
      );
    }
    lines.push(this.stateLine(i));
    return lines.join('\n');
  }

  private stateLine(i: number): string {
    const n = this.f.nodes;
    const name = (j: number) => (j < 0 ? '-' : this.f.names[j]);
    return `${this.f.names[i]}: ${this.f.state(i)} term=${n.term[i]} vote=${name(n.vote[i]!)} lead=${name(n.lead[i]!)} log=${n.lastTerm[i]}/${n.lastIndex[i]}`;
  }
}

describe('Raft scripts (test/simulation-scripts/*.txt)', () => {
  const names = Object.keys(files);
  it('has scripts to run', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });
  for (const file of names) {
    it(file, () => {
      const interpreter = new Interpreter();
      const blocks = parseBlocks(files[file]!);
      const actual = blocks.map((b) => `${b.command}\n----\n${interpreter.run(b.command)}`);
      const expected = blocks.map((b) => `${b.command}\n----\n${b.expected}`);
      expect(actual.join('\n\n')).toBe(expected.join('\n\n'));
    });
  }
});
