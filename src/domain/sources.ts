/**
 * @module sources
 * The public documents and upstream files our rules come from. Findings cite these so that a reader can check
 * each claim; they live in the claims ledger (src/domain/ledger, docs/reference/ledger.md).
 */
export { sources } from './ledger/index.js';
