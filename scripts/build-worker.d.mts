import type { BuildResult } from 'esbuild';

export const workerBundle: string;
export function buildWorker(options?: {
  metafile?: boolean;
  minify?: boolean;
  sourcemap?: boolean;
  outfile?: string;
}): Promise<BuildResult>;
export const prebuiltFiles: Record<string, string>;
export function writePrebuiltDocuments(): Promise<string[]>;
