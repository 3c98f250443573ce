/**
 * The model's input and output: typed arrays, one slot per node, edge, post or influencer.
 *
 * Nodes are graph actors (one account on one network), indexed 0..nodes-1. Edges are
 * interactions actor -> target inside the window. Influencers own one or more nodes.
 */

export type ModelVersion = 1 | 2;

export interface ModelInput {
  nodes: number;
  edges: {
    count: number;
    actor: Int32Array;
    target: Int32Array;
    kind: Uint8Array;
    ageDays: Float32Array;
    /** Index into posts, or -1. */
    post: Int32Array;
  };
  /** Version 1's teleport prior per node (accountQuality of its snapshot, or PARAMS.unknownQuality); may be empty for version 2. */
  quality: Float64Array;
  /** Version 2's evidence per node: evidenceQuality of its newest connector snapshot, or NO_EVIDENCE; may be empty for version 1. */
  evidence: Float64Array;
  posts: {
    count: number;
    /** Node that authored each post. */
    author: Int32Array;
    /** 1 when the post was published inside the window (counts towards amplification). */
    inWindow: Uint8Array;
    /**
     * Whole days from the post to the window's end (0: the run date), for posts in the window:
     * the week it falls in, for activity's regularity. Unread where inWindow is 0.
     */
    ageDays: Uint8Array;
    /** Topics of post p: topicIds[topicStart[p] .. topicStart[p+1]). */
    topicStart: Int32Array;
    topicIds: Uint16Array;
  };
  influencers: {
    count: number;
    /** Nodes of influencer i: ownedNodes[ownedStart[i] .. ownedStart[i+1]). */
    ownedStart: Int32Array;
    ownedNodes: Int32Array;
    followers: Float64Array;
  };
  maxTopicId: number;
}

export interface InfluencerScores {
  score: Uint8Array;
  reach: Float64Array;
  amplification: Float64Array;
  authority: Float64Array;
  /** Raw figures behind the components, for explanations. */
  reachRaw: Float64Array;
  amplificationRaw: Float64Array;
  authorityRaw: Float64Array;
  engagers: Int32Array;
  reactions: Int32Array;
  posts: Int32Array;
  /** Version 2: the credible share of the engagement, 0..1 (1 under version 1). */
  audienceQuality: Float64Array;
  /** Version 2: the share of the score's distance above the floor that counts (the confidence ramp; 1 under version 1). */
  confidence: Float64Array;
  /** Version 2: engagers whose credibility is at least CREDIBILITY.credibleAt (all engagers under version 1). */
  credibleEngagers: Int32Array;
  /** Topic scores of influencer i: topics[topicStart[i] .. topicStart[i+1]). */
  topicStart: Int32Array;
  topicIds: Uint16Array;
  topicScores: Uint8Array;
  topicEngagement: Float64Array;
  /** Beside the score, never feeding it (figures.ts): outreach level 1-10 and its inputs. */
  outreach: Uint8Array;
  outreachRaw: Float64Array;
  /** Distinct accounts the influencer's nodes engaged in the window (summed over their nodes). */
  engagedAccounts: Int32Array;
  /** Interactions the influencer's nodes gave others in the window. */
  engagedInteractions: Int32Array;
  /** Activity 1-100 (1: no post in the window) and the weeks of the window with a post. */
  activity: Uint8Array;
  activeWeeks: Uint8Array;
}

export interface ModelResult {
  influencers: InfluencerScores;
  /** PageRank per node, summing to 1. */
  nodeRank: Float64Array;
  /** Version 2: each node's credibility in [0, 1] (all 1 under version 1). */
  credibility: Float64Array;
  stats: {
    version: ModelVersion;
    nodes: number;
    edges: number;
    pairs: number;
    iterations: number;
    residual: number;
    ignoredEdges: number;
    /** Parts that ran on a worker thread. */
    workerParts: number;
    /** Parts meant for a worker thread that ran on the main thread instead (a worker failed to start or failed). */
    threadFallbacks: number;
    /** Their names. */
    fallbackParts: string[];
    /** Seconds per phase of the computation (pairs, credibility, engagement, pagerank, scores). */
    phases: Record<string, number>;
  };
}

export interface ModelOptions {
  /** 1 or 2 threads; by default two for large graphs on a machine with more than one core. */
  threads?: number;
  /** Default MODEL_VERSION. */
  version?: ModelVersion;
  /** PageRank's L1 tolerance; default PARAMS.tolerance. For measuring others (bench tolerance). */
  tolerance?: number;
  /** Called with the parts that fell back from a worker thread to the main thread, if any (to log them). */
  onFallback?: (parts: string[]) => void;
  /**
   * The caller gives input.edges up: they are grouped in place, and their memory is reused, so
   * the run holds the edges once (a score run's own input; false for an input computed again).
   */
  consumeEdges?: boolean;
  /**
   * The caller gives up the input's arrays the model reads for the last time before its peak
   * (version 2's evidence, the posts' authors, flags and ages): they are replaced in `input` by
   * empty arrays once read, so that the collector can free them (a score run's own input).
   */
  releaseInput?: boolean;
  /** Compute outreach and activity beside the score (default true; false leaves them 0, for tests). */
  figures?: boolean;
  /**
   * Called after each step (a score run passes a full garbage collection): the collector then
   * gives back a step's temporaries before the next step allocates, rather than after the peak.
   */
  betweenSteps?: () => void;
  /**
   * Work done of the total, after each step and each PageRank iteration (COMPUTE_STEPS): for a
   * run's progress. Called a few dozen times per computation, never per node or pair.
   */
  onProgress?: (done: number, total: number) => void;
}
