// The planner page at /: a form for a proposal, and the API's own answers drawn beside it. No framework and
// no CDN: this file and planner.css are static assets of the service, so the page works offline. The
// pictures are the API's SVG answers (Accept: image/svg+xml), inlined so their titles reach screen readers.
// The form's state lives in the URL, so a design can be shared by its address.

const $ = (selector) => document.querySelector(selector);

/** Form field → short URL parameter. */
const fields = {
  topology: 't',
  nodes: 'n',
  zones: 'z',
  members: 'm',
  learners: 'l',
  version: 'v',
  heartbeat: 'hb',
  election: 'et',
  intraRtt: 'rtt',
  interRtt: 'xrtt',
  fault: 'f',
  trials: 'tr',
};

function readForm(form) {
  const data = new FormData(form);
  const out = {};
  for (const name of Object.keys(fields)) out[name] = String(data.get(name) ?? '').trim();
  return out;
}

function writeForm(form, state) {
  for (const [name, value] of Object.entries(state)) {
    const control = form.elements.namedItem(name);
    if (!control || value === undefined) continue;
    if (control instanceof RadioNodeList) {
      for (const radio of control) radio.checked = radio.value === value;
    } else control.value = value;
  }
}

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const [name, key] of Object.entries(fields)) if (params.has(key)) state[name] = params.get(key);
  return state;
}

function stateToUrl(state) {
  const params = new URLSearchParams();
  for (const [name, key] of Object.entries(fields)) if (state[name] !== '') params.set(key, state[name]);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

const number = (text) => (text === '' ? undefined : Number(text));

/** The POST /v1/plans body the form describes. */
function proposalOf(state) {
  const zones = state.zones
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  const body = { topology: state.topology, controlPlane: { nodes: number(state.nodes) ?? 3 } };
  if (zones.length > 0) body.controlPlane.zones = zones;
  const etcd = {};
  const learners = number(state.learners) ?? 0;
  if (state.topology === 'external') {
    const voters = number(state.members) ?? 3;
    etcd.members =
      learners > 0
        ? Array.from({ length: voters + learners }, (_, i) => ({
            name: `etcd-${i + 1}`,
            ...(i >= voters ? { learner: true } : {}),
          }))
        : voters;
  }
  if (state.version) etcd.version = state.version;
  if (state.heartbeat) etcd.heartbeatIntervalMs = number(state.heartbeat);
  if (state.election) etcd.electionTimeoutMs = number(state.election);
  if (Object.keys(etcd).length > 0) body.etcd = etcd;
  const network = {};
  if (state.intraRtt) network.intraZoneRttMs = number(state.intraRtt);
  if (state.interRtt) network.interZoneRttMs = number(state.interRtt);
  if (Object.keys(network).length > 0) body.network = network;
  return body;
}

/** The fault the simulation runs, from the select's value. */
function faultsOf(state, proposal) {
  const at = { atMs: 1000, withinMs: 1000 };
  if (state.fault === 'zone') {
    const zone = proposal.controlPlane.zones?.[0] ?? 'zone-a';
    return [{ type: 'crash', target: { kind: 'zone', name: zone }, at }];
  }
  if (state.fault === 'etcd-leader') return [{ type: 'crash', target: { kind: 'etcd-leader' }, at }];
  return [{ type: 'crash', target: { kind: 'lease-holder', component: 'kube-controller-manager' }, at }];
}

async function post(path, body, accept = 'application/json') {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ detail: `${response.status} ${response.statusText}` }));
    throw Object.assign(new Error(problem.detail ?? 'The request failed.'), { problem });
  }
  return accept === 'application/json' ? response.json() : response.text();
}

/** The GET form of a chart: the body, raw DEFLATE, base64url (as GET /charts/*.svg documents). */
async function chartUrl(kind, body) {
  const stream = new Blob([JSON.stringify(body)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const q = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${location.origin}/charts/${kind}.svg?q=${q}`;
}

function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/** An SVG answer of this service, inlined; its <desc> (the answer's summary) is shown as the caption too. */
function figure(svgText, link) {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true);
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  const caption = element('figcaption', { text: svg.querySelector('desc')?.textContent ?? '' });
  const out = element('figure', {}, svg, caption);
  if (link) caption.append(' ', element('a', { href: link, text: 'Open as an SVG link' }));
  return out;
}

function copyButton(getText, label) {
  const button = element('button', { type: 'button', class: 'copy', text: 'Copy', 'aria-label': `Copy ${label}` });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getText());
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy by hand';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 2000);
  });
  return button;
}

function findingsList(findings) {
  if (findings.length === 0) return element('p', { text: 'No findings.' });
  const list = element('ul', { class: 'findings' });
  for (const f of findings) {
    list.append(
      element(
        'li',
        { class: `finding ${f.severity}` },
        element('strong', { text: `${f.severity}: ` }),
        `${f.message} `,
        element('code', { text: f.code }),
      ),
    );
  }
  return list;
}

const yesNo = (value) => (value ? 'yes' : 'no');

function comparisonTable(comparison) {
  const rows = [
    ['Hosts', (s) => s.hostCount],
    ['Control-plane hosts', (s) => s.controlPlaneHosts],
    ['etcd hosts', (s) => s.etcdHosts],
    ['etcd voters', (s) => s.voters],
    ['etcd host failures tolerated', (s) => s.tolerates?.etcdHostFailures ?? '—'],
    ['Control-plane node failures tolerated', (s) => s.tolerates?.controlPlaneNodeFailures ?? '—'],
    ['Any host failures tolerated', (s) => s.tolerates?.anyHostFailures ?? '—'],
    ['Survives any zone loss', (s) => yesNo(s.survivesAnyZoneLoss)],
    ['One host loss takes etcd and the control plane together', (s) => yesNo(s.coupledFailure)],
    [
      'Write latency, best–worst (ms)',
      (s) => (s.writeLatencyMs ? `${s.writeLatencyMs.best}–${s.writeLatencyMs.worst}` : '—'),
    ],
  ];
  const head = element(
    'tr',
    {},
    element('th', { scope: 'col', text: '' }),
    element('th', { scope: 'col', text: `stacked${comparison.stacked.proposed ? ' (proposed)' : ''}` }),
    element('th', { scope: 'col', text: `external${comparison.external.proposed ? ' (proposed)' : ''}` }),
  );
  const body = rows.map(([label, get]) =>
    element(
      'tr',
      {},
      element('th', { scope: 'row', text: label }),
      element('td', { text: String(get(comparison.stacked)) }),
      element('td', { text: String(get(comparison.external)) }),
    ),
  );
  return element(
    'div',
    { class: 'table-wrap' },
    element('table', {}, element('thead', {}, head), element('tbody', {}, ...body)),
    element('p', { text: comparison.note ?? '' }),
  );
}

/** Every command line and file of a /v1/config answer, labelled. */
function configBlocks(config) {
  const blocks = [];
  for (const m of config.etcd?.members ?? []) blocks.push([`etcd member ${m.name} (on ${m.host})`, m.etcd?.text]);
  for (const n of config.apiServer?.nodes ?? []) blocks.push([`kube-apiserver on ${n.node}`, n.kubeApiserver?.text]);
  blocks.push(['kube-controller-manager', config.controllerManager?.text]);
  blocks.push(['kube-scheduler', config.scheduler?.text]);
  if (config.kubeadm?.yaml) blocks.push([`kubeadm ${config.kubeadm.kind} (YAML)`, config.kubeadm.yaml]);
  return blocks.filter(([, text]) => typeof text === 'string' && text.length > 0);
}

function configSection(config) {
  const out = element('div', {}, element('p', { text: config.summary ?? '' }));
  for (const [label, text] of configBlocks(config)) {
    const code = element('code', { text });
    out.append(
      element(
        'details',
        {},
        element('summary', { text: label }),
        copyButton(() => text, label),
        element('pre', { tabindex: '0', 'aria-label': label }, code),
      ),
    );
  }
  return out;
}

function show(id, ...nodes) {
  const section = $(`#${id}`);
  section.hidden = false;
  section.querySelector('.content').replaceChildren(...nodes);
}

function status(text, problem) {
  const box = $('#status');
  box.replaceChildren(element('p', { text }));
  if (problem?.errors?.length) {
    const list = element('ul');
    for (const e of problem.errors) list.append(element('li', { text: `${e.pointer || '(body)'}: ${e.detail}` }));
    box.append(list);
  }
}

async function runPlan(state) {
  const proposal = proposalOf(state);
  status('Planning…');
  const [plan, placement, config] = await Promise.all([
    post('/v1/plans', proposal),
    post('/v1/plans', proposal, 'image/svg+xml'),
    post('/v1/config', proposal).catch((error) => ({ summary: `No configuration: ${error.message}` })),
  ]);
  show('summary', element('p', { text: plan.summary }));
  show('findings', findingsList(plan.findings ?? []));
  show('placement', figure(placement, await chartUrl('plan', proposal)));
  show('comparison', plan.comparison ? comparisonTable(plan.comparison) : element('p', { text: 'No comparison.' }));
  show('config', configSection(config));
  status('Plan ready.');
}

async function runSimulation(state) {
  const proposal = proposalOf(state);
  const scenario = { faults: faultsOf(state, proposal) };
  const one = { kind: 'control-plane', cluster: proposal, scenario };
  const trials = Math.min(1000, Math.max(2, number(state.trials) ?? 100));
  const many = { ...one, trials, controlPlaneOptions: { compareTopologies: true } };
  status(`Simulating one trial and ${trials} trials of both topologies…`);
  const [timeline, distribution] = await Promise.all([
    post('/v1/simulations', one, 'image/svg+xml'),
    post('/v1/simulations', many, 'image/svg+xml'),
  ]);
  show(
    'simulation',
    figure(timeline, await chartUrl('simulation', one)),
    figure(distribution, await chartUrl('simulation', many)),
  );
  status('Simulation ready.');
}

function guarded(task) {
  return async (state) => {
    const buttons = document.querySelectorAll('form button');
    for (const b of buttons) b.disabled = true;
    try {
      await task(state);
    } catch (error) {
      status(`The API refused the proposal: ${error.message}`, error.problem);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
}

const plan = guarded(runPlan);
const simulate = guarded(runSimulation);

function init() {
  const form = $('#proposal');
  writeForm(form, stateFromUrl());
  const syncTopology = () => {
    const external = readForm(form).topology === 'external';
    for (const name of ['members', 'learners']) form.elements.namedItem(name).disabled = !external;
  };
  form.addEventListener('change', syncTopology);
  syncTopology();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const state = readForm(form);
    stateToUrl(state);
    const action = event.submitter?.value === 'simulate' ? simulate : plan;
    action(state);
  });
  if (location.search) plan(readForm(form));
}

init();
