// The two d3-array functions the charts use (d3-array ships no types; @types/d3-array is not installed).
declare module 'd3-array' {
  /** d3-array's ticks: about `count` round values between start and stop (both included when round). */
  export function ticks(start: number, stop: number, count: number): number[];
  /** d3-array's nice: the domain widened to round tick values. */
  export function nice(start: number, stop: number, count: number): [number, number];
}
