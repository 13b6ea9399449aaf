// Conformance: the Engine interface, the `.data` runner and the interpreter engine.
export type { Engine, EngineExit, EngineFault, EngineResult } from './engine.ts';
export { createInterpreterEngine, interpreterEngine, type InterpreterEngineOptions } from './interp-engine.ts';
export {
  expandPaths, formatReport, formatResultLine, formatSummaryLine, runConformance, runConformanceFile, runConformanceReport,
  type ConformanceOptions, type ConformanceSummary, type FileResult, type Outcome, type Stage, type SuiteMode,
} from './runner.ts';
export { runPlugin, type PluginResult } from './plugin.ts';
