import type { BuildResult } from 'esbuild';

export const workerBundle: string;
export function buildWorker(options?: { metafile?: boolean; minify?: boolean; outfile?: string }): Promise<BuildResult>;
