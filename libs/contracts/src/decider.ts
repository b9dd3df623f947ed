/**
 * A pure decider: the domain logic of one aggregate, no I/O. `decide` turns a
 * command into new events against the current state, `evolve` folds one event
 * into the state, `initialState` is the state of a stream that does not exist.
 */
export interface Decider<Command, Event extends { type: string; data: unknown }, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/**
 * The `default` of an exhaustive `switch`: it only compiles when every case is
 * handled, so adding a command or event type fails the build until it is.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
