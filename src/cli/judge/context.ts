/**
 * What a judge needs from the command that runs it.
 *
 * @module
 */
import type { ReportRun } from '../control.js';
import type { OutputSink, Progress } from '../io.js';

/**
 * The run a judge reports into, the sink it waits on after each chunk (back-pressure), the progress
 * line, and what the format needs built.
 * @example { run, sink, progress, findings: true, bodies: false }
 */
export interface JudgeContext {
  readonly run: ReportRun;
  readonly sink: OutputSink;
  readonly progress: Progress;
  /** Build findings (every format but `dynatrace`). */
  readonly findings: boolean;
  /** Build the endpoint's bodies (`dynatrace`). */
  readonly bodies: boolean;
}
