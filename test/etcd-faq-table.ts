/**
 * The etcd FAQ fault-tolerance table (etcd.io/docs/v3.5/faq), as the claims ledger records it (docs/reference/ledger.md: quorum-majority) and
 * not from our code: [voters, quorum, tolerable failures]. The expected values of every test that checks quorum.
 */
export const etcdFaqTable: [voters: number, quorum: number, tolerableFailures: number][] = [
  [1, 1, 0],
  [2, 2, 0],
  [3, 2, 1],
  [4, 3, 1],
  [5, 3, 2],
  [6, 4, 2],
  [7, 4, 3],
  [8, 5, 3],
  [9, 5, 4],
];
