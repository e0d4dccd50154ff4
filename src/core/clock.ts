// The clock the core and the schedule read; tests inject a fake one and move it by hand.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
