import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';

// Regression: timings etcd refuses at start-up (here a heartbeat longer than the election timeout, so
// 5 × heartbeat > election) once reached the simulator and answered 500. etcd's own check is
// "--election-timeout[%vms] should be at least as 5 times as --heartbeat-interval[%vms]" (etcd server/embed/config.go, claims ledger: etcd-flag-validation).
const unstartable = {
  topology: 'stacked',
  controlPlane: { nodes: 3 },
  etcd: { heartbeatIntervalMs: 2000, electionTimeoutMs: 1000 },
};

describe('timings etcd would refuse', () => {
  it('a plan still answers, with the refusal as an error finding and no failover section', async () => {
    const response = await postJson('/v1/plans', { ...unstartable, failover: true });
    expect(response.status).toBe(200);
    const plan = (await response.json()) as {
      findings: { severity: string; message: string; pointers: string[] }[];
      failover: unknown;
    };
    const refusal = plan.findings.find((f) =>
      f.message.includes('should be at least as 5 times as --heartbeat-interval'),
    );
    expect(refusal?.severity).toBe('error');
    expect(plan.failover).toBeNull();
  });

  it('a control-plane simulation is a 400 pointing at the election timeout, quoting etcd', async () => {
    const response = await postJson('/v1/simulations', { kind: 'control-plane', cluster: unstartable });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    const error = problem.errors?.find((e) => e.pointer.startsWith('/cluster/etcd/'));
    expect(error?.detail).toContain('should be at least as 5 times as --heartbeat-interval');
  });
});
