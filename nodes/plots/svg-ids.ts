/**
 * vega names the <clipPath> and <linearGradient>/<radialGradient> definitions of an SVG with
 * counters that live as long as the module (the worker), so the same figure drawn after another
 * one comes out as `clip7` instead of `clip1`: different bytes, a different content hash, and no
 * early cutoff below any figure. Renumbering the ids in order of first appearance makes them a
 * function of the document alone, whatever was drawn before and whatever renders concurrently.
 */

// every place vega writes one of these ids: the definition and each reference to it
const VEGA_DEF_ID = /(id="|url\(#)(p_)?(clip|gradient_)(\d+)(?=[")])/g;

export function canonicalSvgIds(svg: string): string {
  const renamed = new Map<string, number>();
  const next = { clip: 1, gradient_: 0 }; // vega's own first values, so a fresh process is unchanged
  return svg.replace(VEGA_DEF_ID, (_match, lead: string, pattern: string | undefined, family: 'clip' | 'gradient_', n: string) => {
    const old = family + n;
    let id = renamed.get(old);
    if (id === undefined) {
      id = next[family]++;
      renamed.set(old, id);
    }
    return `${lead}${pattern ?? ''}${family}${id}`;
  });
}
