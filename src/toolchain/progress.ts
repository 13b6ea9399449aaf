// Build progress as events, so the CLI (or a test) decides how to show it.
// Tool output is filtered here to the few lines that mark real progress; the
// full logs go to files.

export type BuildStep = 'synth' | 'constraints' | 'place-and-route' | 'pack';

export const STEP_TITLES: Readonly<Record<BuildStep, string>> = {
  synth: 'synthesis (yosys synth_ice40)',
  constraints: 'pin constraints (PCF)',
  'place-and-route': 'place and route (nextpnr-ice40)',
  pack: 'bitstream (icepack)',
};

export type BuildProgress =
  | { readonly kind: 'step-start'; readonly step: BuildStep; readonly title: string }
  | { readonly kind: 'step-done'; readonly step: BuildStep; readonly ms: number }
  | { readonly kind: 'log'; readonly step: BuildStep; readonly line: string };

const MILESTONES: Readonly<Partial<Record<BuildStep, RegExp>>> = {
  // yosys: the passes synth_ice40 runs ("2.12. Executing ABC9 pass.").
  synth: /^\d+\.\d+\. Executing /,
  // nextpnr: packing, placer and router phases, router iterations, Fmax.
  'place-and-route':
    /^Info: (Packing constants|Placed \d+ cells|Running main analytical placer|HeAP Placer Time|Running simulated annealing|SA placement time|Routing\.\.|Routing complete|Router\d time|Max frequency for clock|Program finished|\s+\d+ \|)/,
};

/** True for a tool output line worth showing as progress. */
export function isMilestone(step: BuildStep, line: string): boolean {
  return MILESTONES[step]?.test(line) ?? false;
}

/** One line of text for a progress event, as the CLI prints it. */
export function formatProgress(event: BuildProgress): string {
  switch (event.kind) {
    case 'step-start':
      return `[${event.step}] ${event.title}...`;
    case 'step-done':
      return `[${event.step}] done in ${(event.ms / 1000).toFixed(1)} s`;
    case 'log':
      return `[${event.step}]   ${event.line.replace(/^Info:\s*/, '').trim()}`;
  }
}
