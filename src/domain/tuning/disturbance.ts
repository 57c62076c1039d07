/**
 * @module tuning/disturbance
 * What disturbs a healthy cluster: per-message latency jitter and loss, latency spikes (episodes during which
 * one link is much slower, e.g. a congested path or a retransmission storm) and fsync stalls (episodes during
 * which a member's raft loop is blocked on its WAL, as in etcd's "leader failed to send out heartbeat on time;
 * took too long, leader is overloaded likely from slow disk"). Episodes start as Poisson processes and last
 * an exponentially distributed time.
 */

interface EpisodeModel {
  /** Mean episodes per hour (per link for spikes, per member for stalls). 0 disables them. */
  perHour: number;
  /** Mean duration of one episode, in ms (exponentially distributed). */
  meanDurationMs: number;
}

export interface Disturbance {
  /** Each message takes an extra uniform [0, f × one-way latency]. */
  jitterFraction: number;
  /** Probability that any one message is lost. */
  lossProbability: number;
  /** Per directed link: while a spike lasts, every message on the link takes `extraMs` more. */
  latencySpikes: EpisodeModel & { extraMs: number };
  /** fsync of the WAL, in ms: a base and a uniform extra (delays votes and appends, not heartbeats). */
  diskSyncMs: number;
  diskSyncJitterMs: number;
  /** Per member: while a stall lasts, its raft loop is blocked (no ticks, no messages sent or processed). */
  fsyncStalls: EpisodeModel;
}

export const quietDisturbance: Disturbance = {
  jitterFraction: 0.1,
  lossProbability: 0,
  latencySpikes: { perHour: 0, meanDurationMs: 0, extraMs: 0 },
  diskSyncMs: 1,
  diskSyncJitterMs: 0,
  fsyncStalls: { perHour: 0, meanDurationMs: 0 },
};

export const usPerHour = 3_600_000_000;
/** A cluster-year: 365.25 days. */
export const usPerYear = 365.25 * 24 * usPerHour;
