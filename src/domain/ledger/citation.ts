/**
 * @module ledger/citation
 * How the claims ledger names where a fact comes from: an upstream file at a release tag, or a documentation
 * page. docs/reference/ledger.md lists the same claims for people; this module is what the code reads.
 */

/** Where a rule comes from, so a reader can check it. Findings carry one as `source`. */
export interface Citation {
  title: string;
  url: string;
}

/** One upstream fact the answers state, with where it was checked. */
export interface Claim {
  /** Stable identifier, also the anchor in docs/reference/ledger.md. */
  id: string;
  /** The fact, in one or two sentences. */
  statement: string;
  /** One citation per version where the versions differ, else one. */
  sources: Citation[];
}

/** A file of a GitHub repository at a tag (or commit), as a citation. */
export function githubFile(repo: string, tag: string, path: string, title?: string): Citation {
  return { title: title ?? `${repo} ${path} (${tag})`, url: `https://github.com/${repo}/blob/${tag}/${path}` };
}
