/**
 * @module config/leader-election
 * kube-controller-manager and kube-scheduler leader-election flags (component-base
 * LeaderElectionConfiguration, consumed by client-go tools/leaderelection), with durations in Go's
 * time.ParseDuration syntax.
 */
import type { Proposal } from '../proposal.js';
import { type CommandLine, type Flag, commandLine } from './command-line.js';

/**
 * A duration in seconds as Go's time.ParseDuration reads it: whole seconds as `15s`, anything finer in
 * whole milliseconds (`2500ms`), the smallest unit these flags need, or nanoseconds below that.
 */
export function goDuration(seconds: number): string {
  if (Number.isInteger(seconds)) return `${seconds}s`;
  const ms = seconds * 1000;
  const roundedMs = Math.round(ms);
  if (Math.abs(ms - roundedMs) < 1e-6) return `${roundedMs}ms`;
  return `${Math.round(seconds * 1e9)}ns`;
}

export type LeaderElectedComponent = 'kube-controller-manager' | 'kube-scheduler';

export function leaderElectionFlags(proposal: Proposal, component: LeaderElectedComponent): Flag[] {
  const { leaseDurationS, renewDeadlineS, retryPeriodS } = proposal.leaderElection;
  return [
    { name: '--leader-elect', value: 'true' },
    { name: '--leader-elect-lease-duration', value: goDuration(leaseDurationS) },
    { name: '--leader-elect-renew-deadline', value: goDuration(renewDeadlineS) },
    { name: '--leader-elect-retry-period', value: goDuration(retryPeriodS) },
    { name: '--leader-elect-resource-lock', value: 'leases' },
    { name: '--leader-elect-resource-name', value: component },
    { name: '--leader-elect-resource-namespace', value: 'kube-system' },
  ];
}

export function leaderElectionCommand(proposal: Proposal, component: LeaderElectedComponent): CommandLine {
  return commandLine(component, leaderElectionFlags(proposal, component));
}
