/** What the live run (a child process) tells the server, and the server tells the page over SSE. */
export type LiveMessage =
  /** a whole page: the plan of a new run, or the finished run's report */
  | { readonly type: 'page'; readonly html: string }
  /** the DAG with each step's current counts */
  | { readonly type: 'steps'; readonly svg: string }
  /** the cells of one named output, redrawn */
  | { readonly type: 'output'; readonly name: string; readonly html: string }
  /** the lineage data (tasks, closure, fingerprints) of the page */
  | { readonly type: 'data'; readonly data: unknown }
  | { readonly type: 'status'; readonly status: string; readonly run: number }
  | { readonly type: 'log'; readonly text: string };
