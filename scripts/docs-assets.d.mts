/** Copies Scalar's standalone bundle into public/; returns the target path. */
export function copyDocsAssets(): string;
/** Copies the planner page's script and style sheet from web/ into public/static/planner/; returns that directory. */
export function copyPlannerAssets(): string;
