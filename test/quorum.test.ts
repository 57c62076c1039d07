import { describe, expect, it } from 'vitest';
import { get, problemOf } from './helpers.js';
import { quorumSize, tolerableFailures } from '../src/domain/quorum.js';
import { etcdFaqTable } from './etcd-faq-table.js';

describe('quorum arithmetic', () => {
  it.each(etcdFaqTable)('%i voters → quorum %i, tolerates %i (etcd FAQ)', (voters, quorum, tolerated) => {
    expect(quorumSize(voters)).toBe(quorum);
    expect(tolerableFailures(voters)).toBe(tolerated);
  });

  it('agrees with a naive majority count for every size up to 1001', () => {
    for (let voters = 1; voters <= 1001; voters++) {
      // Smallest q such that two groups of q voters must overlap: 2q > voters.
      let naive = 0;
      while (2 * naive <= voters) naive++;
      expect(quorumSize(voters)).toBe(naive);
    }
  });
});

describe('GET /v1/quorum', () => {
  it.each(etcdFaqTable)('answers the FAQ row for %i voters', async (voters, quorum, tolerated) => {
    const response = await get(`/v1/quorum?voters=${voters}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ voters, learners: 0, quorum, tolerableFailures: tolerated });
    // The FAQ row, in the one wording every operation uses for it.
    const voterWord = voters === 1 ? 'voter' : 'voters';
    expect(body.summary).toMatch(
      new RegExp(
        `^etcd needs ${quorum} of ${voters} ${voterWord}; ${tolerated === 0 ? 'none' : tolerated} may fail\\.`,
      ),
    );
  });

  it('excludes learners from quorum', async () => {
    const body = (await (await get('/v1/quorum?voters=3&learners=1')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ voters: 3, learners: 1, quorum: 2, tolerableFailures: 1 });
    expect((body.findings as { code: string }[]).map((f) => f.code)).toContain('LEARNERS_DO_NOT_VOTE');
  });

  it('warns about even voter counts, with no more tolerance than one fewer', async () => {
    const body = (await (await get('/v1/quorum?voters=4')).json()) as {
      findings: { code: string; severity: string; message: string; pointers: string[] }[];
    };
    const even = body.findings.find((f) => f.code === 'EVEN_VOTER_COUNT');
    expect(even?.severity).toBe('warning');
    expect(even?.pointers).toEqual(['voters']);
    expect(even?.message).toMatch(/3 voters/);
  });

  it('warns about a single voter, and more than 7 voters', async () => {
    const one = (await (await get('/v1/quorum?voters=1')).json()) as { findings: { code: string }[] };
    expect(one.findings.map((f) => f.code)).toEqual(['SINGLE_VOTER']);
    const nine = (await (await get('/v1/quorum?voters=9')).json()) as { findings: { code: string }[] };
    expect(nine.findings.map((f) => f.code)).toEqual(['TOO_MANY_VOTERS']);
  });

  it('reports zero voters as an error finding, not a failed request', async () => {
    const response = await get('/v1/quorum?voters=0');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { quorum: number; findings: { code: string; severity: string }[] };
    expect(body.findings[0]).toMatchObject({ code: 'NO_VOTERS', severity: 'error' });
  });

  it('rejects a second learner on 3.4 and 3.5, and allows it on 3.6 with --max-learners=2', async () => {
    for (const version of ['3.4', '3.5']) {
      const body = (await (await get(`/v1/quorum?voters=3&learners=2&etcdVersion=${version}`)).json()) as {
        learnerLimit: number;
        findings: { code: string; severity: string; message: string }[];
      };
      expect(body.learnerLimit).toBe(1);
      const finding = body.findings.find((f) => f.code === 'TOO_MANY_LEARNERS');
      expect(finding?.severity).toBe('error');
      expect(finding?.message).toContain('too many learner members in cluster');
    }
    const v36 = (await (await get('/v1/quorum?voters=3&learners=2&etcdVersion=3.6&maxLearners=2')).json()) as {
      learnerLimit: number;
      findings: { code: string }[];
    };
    expect(v36.learnerLimit).toBe(2);
    expect(v36.findings.map((f) => f.code)).not.toContain('TOO_MANY_LEARNERS');
  });

  it('is cacheable: Cache-Control public, a strong ETag, and 304 on If-None-Match', async () => {
    const first = await get('/v1/quorum?voters=5');
    expect(first.headers.get('cache-control')).toMatch(/public/);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[^"]+"$/);
    const again = await get('/v1/quorum?voters=5', { 'If-None-Match': tag! });
    expect(again.status).toBe(304);
    const other = await get('/v1/quorum?voters=7', { 'If-None-Match': tag! });
    expect(other.status).toBe(200);
  });

  it('gives byte-identical answers to identical requests', async () => {
    const a = await (await get('/v1/quorum?voters=6&learners=1')).text();
    const b = await (await get('/v1/quorum?voters=6&learners=1')).text();
    expect(a).toBe(b);
  });

  it.each([
    ['voters=abc', 'voters'],
    ['voters=-1', 'voters'],
    ['voters=1e3', 'voters'],
    ['voters=1002', 'voters'],
    ['', 'voters'],
    ['voters=3&etcdVersion=3.3', 'etcdVersion'],
  ])('rejects ?%s with a problem pointing at %s', async (query, pointer) => {
    const response = await get(`/v1/quorum?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await problemOf(response);
    expect(problem.type).toBe('/problems/validation');
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
    expect(problem.errors?.every((e) => e.location === 'query')).toBe(true);
  });

  it('names the limit when voters exceeds it', async () => {
    const problem = await problemOf(await get('/v1/quorum?voters=5000'));
    expect(problem.errors?.[0]?.detail).toContain('maxQuorumVoters');
  });
});

describe('GET /v1/quorum/table', () => {
  it('reproduces the etcd FAQ table for 1..9 by default', async () => {
    const body = (await (await get('/v1/quorum/table')).json()) as {
      rows: { voters: number; quorum: number; tolerableFailures: number }[];
    };
    expect(body.rows.map((r) => [r.voters, r.quorum, r.tolerableFailures])).toEqual(etcdFaqTable);
  });

  it('honours max and bounds it', async () => {
    const body = (await (await get('/v1/quorum/table?max=3')).json()) as { rows: unknown[] };
    expect(body.rows).toHaveLength(3);
    const tooBig = await get('/v1/quorum/table?max=102');
    expect(tooBig.status).toBe(400);
    expect((await problemOf(tooBig)).errors?.[0]?.detail).toContain('maxQuorumTableSize');
  });
});
