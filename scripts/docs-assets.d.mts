/** Copies Scalar's standalone bundle into public/; returns the target path. */
export function copyDocsAssets(): string;
