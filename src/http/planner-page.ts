/**
 * @module planner-page
 * The planner page's HTML, served at / to browsers (Accept preferring text/html); API clients still get the
 * JSON landing. Its script and style sheet are static assets (web/ → public/static/planner/ by
 * scripts/docs-assets.mjs), so the page needs no CDN and works offline.
 */
export const plannerAssetPaths = {
  script: '/static/planner/planner.js',
  style: '/static/planner/planner.css',
} as const;

const field = (name: string, label: string, attrs: string, hint?: string) =>
  `<label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" ${attrs}${hint ? ` aria-describedby="h-${name}"` : ''}>` +
  (hint ? `<p class="hint" id="h-${name}">${hint}</p>` : '');

const section = (id: string, title: string) =>
  `<section id="${id}" hidden aria-labelledby="${id}-title"><h2 id="${id}-title">${title}</h2><div class="content"></div></section>`;

export const plannerHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quorum Planner</title>
<link rel="stylesheet" href="${plannerAssetPaths.style}">
<script type="module" src="${plannerAssetPaths.script}"></script>
</head>
<body>
<header>
<h1>Quorum Planner</h1>
<p>Plan a Kubernetes control plane and its etcd cluster: what it survives, its configuration, and how it fails over.
The same answers as the <a href="/docs">API</a>; the address of this page keeps your design.</p>
</header>
<main>
<form id="proposal" aria-labelledby="form-title">
<h2 id="form-title">Proposal</h2>
<fieldset><legend>Topology</legend>
<label class="inline"><input type="radio" name="topology" value="stacked" checked> stacked etcd</label>
<label class="inline"><input type="radio" name="topology" value="external"> external etcd</label>
</fieldset>
${field('nodes', 'Control-plane nodes', 'type="number" min="1" max="9" step="1" value="3" required')}
${field('zones', 'Zones', 'type="text" value="zone-a, zone-b, zone-c" autocomplete="off"', 'Comma-separated; nodes and members are spread over them in turn.')}
${field('members', 'etcd voters (external)', 'type="number" min="1" max="9" step="1" value="3"')}
${field('learners', 'etcd learners (external)', 'type="number" min="0" max="8" step="1" value="0"')}
<label for="f-version">etcd version</label>
<select id="f-version" name="version"><option>3.4</option><option selected>3.5</option><option>3.6</option></select>
${field('heartbeat', 'Heartbeat interval (ms)', 'type="number" min="1" step="1" value="100"')}
${field('election', 'Election timeout (ms)', 'type="number" min="1" step="1" value="1000"')}
${field('intraRtt', 'Round trip within a zone (ms)', 'type="number" min="0" step="any" value="0.5"')}
${field('interRtt', 'Round trip between zones (ms)', 'type="number" min="0" step="any" value="2"')}
<label for="f-fault">Failover to simulate</label>
<select id="f-fault" name="fault">
<option value="lease-holder">crash the controller-manager's node</option>
<option value="zone">lose the first zone</option>
<option value="etcd-leader">crash the etcd leader</option>
</select>
${field('trials', 'Trials for the distributions', 'type="number" min="2" max="1000" step="1" value="100"')}
<div class="actions">
<button type="submit" name="action" value="plan">Plan</button>
<button type="submit" name="action" value="simulate" class="secondary">Simulate failover</button>
</div>
</form>
<div id="results">
<div id="status" role="status" aria-live="polite"><p>Enter a proposal and press Plan.</p></div>
${section('summary', 'Summary')}
${section('findings', 'Findings')}
${section('placement', 'Placement')}
${section('comparison', 'Stacked vs external')}
${section('simulation', 'Failover simulation')}
${section('config', 'Configuration')}
</div>
</main>
<noscript><p>The planner needs JavaScript; the same answers are in the <a href="/docs">API</a>.</p></noscript>
</body>
</html>
`;
