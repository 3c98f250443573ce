import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum ScoreRunStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ScoreRunStatus, { name: 'ScoreRunStatus' });

export enum ScoreRunPhase {
  QUEUED = 'QUEUED',
  LOADING = 'LOADING',
  COMPUTING = 'COMPUTING',
  WRITING = 'WRITING',
  SWITCHING = 'SWITCHING',
  DONE = 'DONE',
}
registerEnumType(ScoreRunPhase, { name: 'ScoreRunPhase' });

export enum ScoreRunTrigger {
  SCHEDULE = 'SCHEDULE',
  ADMIN = 'ADMIN',
}
registerEnumType(ScoreRunTrigger, { name: 'ScoreRunTrigger' });

@ObjectType({ description: 'Figures of a score run' })
export class ScoreRunStats {
  @Field(() => Int, { nullable: true })
  influencers?: number;

  @Field(() => Int, { nullable: true, description: 'Graph nodes: accounts of influencers and of people who never signed up' })
  nodes?: number;

  @Field(() => Int, { nullable: true, description: 'Interactions read from the window' })
  interactions?: number;

  @Field(() => Int, { nullable: true, description: 'Distinct (actor, target) pairs' })
  pairs?: number;

  @Field(() => Int, { nullable: true })
  posts?: number;

  @Field(() => Int, { nullable: true, description: 'PageRank iterations until convergence' })
  iterations?: number;

  @Field(() => Int, { nullable: true })
  topicScores?: number;

  @Field(() => Int, { nullable: true, description: 'Parts of the model computation that ran on a second thread' })
  workerParts?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Parts meant for a second thread that ran on the main thread instead (a worker failed); same result, slower',
  })
  threadFallbacks?: number;

  @Field(() => Float, { nullable: true })
  loadingSeconds?: number;

  @Field(() => Float, { nullable: true })
  computingSeconds?: number;

  @Field(() => Float, { nullable: true })
  writingSeconds?: number;

  @Field(() => Float, { nullable: true })
  switchingSeconds?: number;

  @Field(() => Float, { nullable: true })
  totalSeconds?: number;

  @Field(() => Int, { nullable: true })
  peakRssMb?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'SCORE_CHANGED notifications written in the switch (influencers whose score moved 5 points or more)',
  })
  scoreNotifications?: number;

  /** The process's peak RSS when loading ended, and when computing ended (MB): where the peak is. */
  peakRssMbAfterLoading?: number;
  peakRssMbAfterComputing?: number;
}

@ObjectType({ description: "A score run phase's work: LOADING counts rows read, COMPUTING steps, WRITING rows written" })
export class ScoreRunPhaseWork {
  @Field(() => ScoreRunPhase)
  phase: ScoreRunPhase;

  @Field(() => Float)
  done: number;

  @Field(() => Float, { description: "The total, estimated while LOADING reads (a read's estimate becomes its count when it ends)" })
  total: number;

  @Field(() => Float, { nullable: true, description: 'Seconds spent in the phase; null before it started' })
  seconds: number | null;
}

@ObjectType({ description: 'One recomputation of every score, for one date' })
@Entity('score_runs')
@Index('score_runs_run_date_key', ['runDate'], { unique: true })
@Index('score_runs_is_current_key', ['isCurrent'], { unique: true, where: '"is_current"' })
@Check('score_runs_phase_progress_check', '"phase_progress" >= 0 AND "phase_progress" <= 1')
@Check('score_runs_progress_check', '"progress" >= 0 AND "progress" <= 1')
@Check('score_runs_current_check', `NOT "is_current" OR "status" = 'SUCCEEDED'`)
export class ScoreRun {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Field(() => String, { description: 'The day scored (YYYY-MM-DD): the window ends at the end of this day, UTC' })
  @Column({ name: 'run_date', type: 'date' })
  runDate: string;

  @Field(() => ScoreRunStatus)
  @Column({ type: 'enum', enum: ScoreRunStatus, enumName: 'score_run_status', default: ScoreRunStatus.PENDING })
  status: ScoreRunStatus;

  @Field(() => ScoreRunPhase)
  @Column({ type: 'enum', enum: ScoreRunPhase, enumName: 'score_run_phase', default: ScoreRunPhase.QUEUED })
  phase: ScoreRunPhase;

  @Field(() => Float, {
    description:
      "From 0 to 1: the phases done and the current phase's share done, each phase weighted by its share of the previous run's time",
  })
  @Column({ type: 'real', default: 0 })
  progress: number;

  @Field(() => Float, { description: "The current phase's share done, from 0 to 1, by work counted (rows read, steps, rows written)" })
  @Column({ name: 'phase_progress', type: 'real', default: 0 })
  phaseProgress: number;

  /** When the run expects to finish, as its worker last estimated (see etaSeconds). */
  @Column({ name: 'eta_at', type: 'timestamptz', nullable: true })
  etaAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the running worker last wrote the progress figures' })
  @Column({ name: 'progress_at', type: 'timestamptz', nullable: true })
  progressAt: Date | null;

  /** Per phase: work done, its total and seconds spent (RunProgress); exposed as phaseWork. */
  @Column({ type: 'jsonb', default: {} })
  work: Record<string, { done: number; total: number; seconds: number | null }>;

  @Field(() => Int, { description: 'Incremented when a failed run is requested again' })
  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Field(() => ScoreRunTrigger)
  @Column({ type: 'enum', enum: ScoreRunTrigger, enumName: 'score_run_trigger' })
  trigger: ScoreRunTrigger;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Field(() => Boolean, { description: 'Whether readers see this run now' })
  @Column({ name: 'is_current', type: 'boolean', default: false })
  isCurrent: boolean;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'model_version', type: 'integer', nullable: true })
  modelVersion: number | null;

  @Field(() => ScoreRunStats)
  @Column({ type: 'jsonb', default: {} })
  stats: ScoreRunStats;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed' })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Set when the run's snapshot was dropped by retention. */
  @Column({ name: 'purged_at', type: 'timestamptz', nullable: true })
  purgedAt: Date | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds left, estimated from the progress so far; null unless RUNNING with some progress',
  })
  get etaSeconds(): number | null {
    if (this.status !== ScoreRunStatus.RUNNING || !this.etaAt) return null;
    return Math.max(0, Math.round((this.etaAt.getTime() - Date.now()) / 100) / 10);
  }

  @Field(() => [ScoreRunPhaseWork], { description: 'Work counted per phase, in order, with the seconds each took so far' })
  get phaseWork(): ScoreRunPhaseWork[] {
    // jsonb keeps keys in its own order: put the phases back in theirs.
    const order = Object.values(ScoreRunPhase) as string[];
    return Object.entries(this.work ?? {})
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([phase, w]) => Object.assign(new ScoreRunPhaseWork(), { phase, ...w }));
  }
}
