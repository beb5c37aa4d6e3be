/** The example documents (public/examples/<name>.json), in the order a learner meets them. */
export const EXAMPLES = ['xor', 'and', 'function-fit', 'mnist', 'mnist-binary'] as const;
