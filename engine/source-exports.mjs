// Loader hook for a development checkout: `import … from 'featureflow'` (and featureflow/core,
// featureflow/studies/<name>) resolve to the TS sources, as they did before the package had a
// build, instead of to dist/, which may be missing or stale and would load a second copy of the
// engine beside the one running. It adds the "featureflow-sources" condition (package.json
// "exports") for featureflow's specifiers only; the installed package never registers it.
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'featureflow' && !specifier.startsWith('featureflow/')) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'featureflow-sources'] });
}
