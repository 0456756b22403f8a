/**
 * How a mock answers: a function of the call, one fixed value (or error), or a list used in turn (the
 * last entry repeats). An Error value makes the call reject with it.
 */
export type MockBehaviour<Call, Result> =
  | ((call: Call) => Result | Promise<Result>)
  | Result
  | Error
  | Array<Result | Error>;

export function createResponder<Call, Result>(
  behaviour: MockBehaviour<Call, Result> | undefined,
  fallback: (call: Call) => Result,
): (call: Call, index: number) => Promise<Result> {
  return async (call, index) => {
    if (behaviour === undefined) return fallback(call);
    if (typeof behaviour === 'function') return (behaviour as (call: Call) => Result | Promise<Result>)(call);
    const value = Array.isArray(behaviour) ? behaviour[Math.min(index, behaviour.length - 1)] : behaviour;
    if (value instanceof Error) throw value;
    return value === undefined ? fallback(call) : value;
  };
}
