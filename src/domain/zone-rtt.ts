/**
 * @module zone-rtt
 * Per zone pair round trips as users list them (`[{ from, to, rttMs }]`) checked and turned into the lookup
 * table the engine reads. Shared by proposals and recommendation requests.
 */
import type { ZoneRttInput } from './proposal-input.js';

export interface ZoneRttResult {
  /** from → to → ms, without prototypes, so zone names such as "constructor" are ordinary keys. */
  zonePairRttMs: Record<string, Record<string, number>>;
  errors: { pointer: string; detail: string }[];
}

function bareRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Every entry must name known zones, and each unordered pair may appear once (RTTs are symmetric).
 * `pointer` is the pointer of the list, e.g. "/network/zoneRttMs".
 */
export function normalizeZoneRtts(
  zones: readonly string[],
  entries: readonly ZoneRttInput[],
  pointer: string,
): ZoneRttResult {
  const zonePairRttMs = bareRecord<Record<string, number>>();
  const errors: ZoneRttResult['errors'] = [];
  const pairsSeen = new Map<string, number>();
  entries.forEach((entry, i) => {
    const entryPointer = `${pointer}/${i}`;
    let known = true;
    for (const end of ['from', 'to'] as const) {
      if (!zones.includes(entry[end])) {
        known = false;
        errors.push({
          pointer: `${entryPointer}/${end}`,
          detail: `Zone "${entry[end]}" is not a zone of this request (${zones.join(', ')}); correct the name or add the zone.`,
        });
      }
    }
    if (!known) return;
    const pairKey = [entry.from, entry.to].sort().join('\u0000');
    const earlier = pairsSeen.get(pairKey);
    if (earlier !== undefined) {
      errors.push({
        pointer: entryPointer,
        detail: `The zone pair ${entry.from}–${entry.to} is already given at ${pointer}/${earlier}; RTTs are symmetric, give each pair once.`,
      });
      return;
    }
    pairsSeen.set(pairKey, i);
    (zonePairRttMs[entry.from] ??= bareRecord<number>())[entry.to] = entry.rttMs;
  });
  return { zonePairRttMs, errors };
}
