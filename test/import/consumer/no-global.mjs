// Preloaded with `node --import`: removes Node's `global` alias so that the consumer runs the way a
// browser bundle does, where only `globalThis` exists.
delete globalThis.global;
