import type { Decider } from '@study-buddy/contracts';

/**
 * Given/when/then for pure deciders:
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows(AppError, /message/)
 */

export function deciderSpec<Command, Event extends { type: string; data: unknown }, State>(
  decider: Decider<Command, Event, State>,
) {
  return {
    given(events: Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenThrows(errorType: new (...args: never[]) => Error, message?: RegExp | string) {
              expect(run).toThrow(errorType);
              if (message) expect(run).toThrow(message);
            },
          };
        },
        thenState(expected: Partial<State>) {
          expect(state).toMatchObject(expected as object);
        },
      };
    },
  };
}
