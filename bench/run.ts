/**
 * `npm run bench` — every benchmark in one run, printed as tables; `--json <file>` also writes the figures.
 *   npm run bench                         full run (about 2–4 minutes; run it on a quiet machine)
 *   npm run bench -- --quick              a short run to check the benchmarks work (figures not for the record)
 *   npm run bench -- --only engine,http   some sections: engine, profile, requests, sweep, http, bundle, startup
 * Sections whose operation is not on main yet print "skipped — why" and the run goes on.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchBundle, printBundle } from './bundle.js';
import { benchEngine, printEngine } from './engine.js';
import { benchHttp, printHttp } from './http.js';
import { profilePlans, printProfile } from './profile.js';
import { benchRequests, printRequests } from './requests.js';
import { benchStartup, printStartup } from './startup.js';
import { benchSweep, printSweep } from './sweep.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
  },
});
const sections = new Set((values.only ?? 'engine,profile,requests,sweep,http,bundle,startup').split(','));
const quick = values.quick ?? false;

function machine() {
  const cpuModel = (() => {
    try {
      return (
        readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown'
      );
    } catch {
      return cpus()[0]?.model ?? 'unknown';
    }
  })();
  const nproc = (() => {
    try {
      return Number(execSync('nproc', { encoding: 'utf8' }).trim());
    } catch {
      return cpus().length;
    }
  })();
  // The one clock read that is the point: when these figures were taken.
  return { date: new Date().toISOString(), nproc, node: process.version, cpuModel, loadavg1m: loadavg()[0]!, quick };
}

const env = machine();
console.log(
  `bench ${env.date} · ${env.cpuModel} · nproc ${env.nproc} · node ${env.node} · load ${env.loadavg1m.toFixed(2)}${quick ? ' · QUICK (not for the record)' : ''}`,
);
if (env.loadavg1m > env.nproc * 0.5)
  console.log(
    `warning: load average ${env.loadavg1m.toFixed(2)} on ${env.nproc} cores — the machine is busy; figures will be low and noisy`,
  );
const results: Record<string, unknown> = { machine: env };

if (sections.has('engine')) {
  const engine = await benchEngine({ quick });
  results.engine = engine;
  console.log(`\n${printEngine(engine)}`);
}
if (sections.has('profile')) {
  const profile = await profilePlans({ seconds: quick ? 2 : 10 });
  results.profile = profile;
  console.log(`\n${printProfile(profile)}`);
}
if (sections.has('requests')) {
  const requests = await benchRequests({ quick });
  results.requests = requests;
  console.log(`\n${printRequests(requests)}`);
}
if (sections.has('sweep')) {
  const sweep = await benchSweep({ quick });
  results.sweep = sweep;
  console.log(`\n${printSweep(sweep)}`);
}
if (sections.has('http')) {
  const http = await benchHttp({ quick });
  results.http = http;
  console.log(`\n${printHttp(http)}`);
}
if (sections.has('bundle')) {
  const bundle = await benchBundle();
  results.bundle = bundle;
  console.log(`\n${printBundle(bundle)}`);
}
if (sections.has('startup')) {
  const startup = benchStartup({ quick });
  results.startup = startup;
  console.log(`\n${printStartup(startup)}`);
}
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${values.json}`);
}
