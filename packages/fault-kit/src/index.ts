export { runFaultSuite } from './faults/fault-suite.js';
export { reconcile, report as reportReliability, SendOutcomes } from './faults/outcomes.js';
export type { FaultFigures, FaultHarness } from './faults/types.js';
export { OutputRecorder } from './output-recorder.js';
export { runCommand } from './run-command.js';
