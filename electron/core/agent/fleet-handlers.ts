// The fleet audit's contract method. Self-contained on purpose: the audit reads other machines'
// repositories listed in the fleet file, not this machine's config, so it needs only paths,
// secrets, the restic engine and the log from the agent.
import type { ApiOutput, ApiParsedInput } from '../api.js';
import { CofreError } from '../errors.js';
import type { AgentContext } from './agent.js';

export function fleetHandlers(_ctx: AgentContext): {
  fleetReport: (input: ApiParsedInput<'fleetReport'>) => Promise<ApiOutput<'fleetReport'>>;
} {
  return {
    async fleetReport() {
      throw new CofreError('fleet.notYet');
    },
  };
}
