/**
 * @module simulation/control-plane/lease-store
 * The coordination.k8s.io Lease object of one component as etcd holds it, behind the apiserver: a read returns
 * the current record, an update is an optimistic-concurrency write (it names the version it read; a record
 * changed meanwhile is a conflict, as a resourceVersion mismatch is). Every committed write is logged.
 */

/** What a client writes: the record's fields that matter to the election. */
export interface LeaseRecordBody {
  /** holderIdentity; '' after a release. */
  holder: string;
  /** LeaseDurationSeconds: whole seconds, the holder's setting. */
  leaseDurationS: number;
  /** leaderTransitions. */
  transitions: number;
}

/** A stored record. Never mutated: a write replaces it, so a snapshot is the object itself. */
export interface LeaseRecord extends LeaseRecordBody {
  /** Stands for resourceVersion: every write changes renewTime, so every write is a new version. */
  version: number;
}

export interface LeaseWrite {
  /** When the write took effect in etcd. */
  timeUs: number;
  holder: string;
}

export class LeaseStore {
  private current: LeaseRecord;
  /** Every committed write, in order. */
  readonly writes: LeaseWrite[] = [];

  constructor(initial: LeaseRecord) {
    this.current = initial;
  }

  /** Sets the record without logging a write: the state a run starts from. */
  reset(record: LeaseRecord): void {
    this.current = record;
  }

  get(): LeaseRecord {
    return this.current;
  }

  /** The write, if the record is still at `expectVersion`; undefined on a conflict (nothing changes). */
  update(timeUs: number, expectVersion: number, body: LeaseRecordBody): LeaseRecord | undefined {
    if (this.current.version !== expectVersion) return undefined;
    this.current = { ...body, version: this.current.version + 1 };
    this.writes.push({ timeUs, holder: body.holder });
    return this.current;
  }
}
