/**
 * The files `featureflow init` writes: a project that type-checks under a strict NodeNext
 * tsconfig and runs at once with `npx featureflow run pipeline.ts`. Imports say `./nodes.js`
 * (NodeNext's rule for ES modules; tsx finds nodes.ts), and `z` comes from featureflow so the
 * params schema is always of the zod featureflow was built with.
 */
export interface TemplateOptions {
  /** the npm package name of the new project */
  readonly name: string;
  /** the featureflow version to depend on */
  readonly featureflowVersion: string;
}

const packageJson = (o: TemplateOptions) =>
  `${JSON.stringify(
    {
      name: o.name,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        start: 'featureflow run pipeline.ts',
        plan: 'featureflow plan pipeline.ts',
        export: 'featureflow export pipeline.ts --format parquet,csv',
        typecheck: 'tsc -p . --noEmit',
        build: 'tsc -p .',
      },
      dependencies: { featureflow: `^${o.featureflowVersion}` },
      devDependencies: { typescript: '>=5.9', '@types/node': '>=20' },
    },
    null,
    2,
  )}\n`;

const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      types: ['node'],
      outDir: 'build',
    },
    include: ['*.ts'],
  },
  null,
  2,
)}\n`;

const nodes = `/**
 * The nodes: one computation each, with typed params, inputs and output. A node's key covers its
 * code, params and inputs, so editing one node recomputes only its own tasks.
 */
import { defineNode, json, many, z } from 'featureflow/core';

export interface Score {
  readonly lambda: number;
  readonly seed: number;
  readonly loss: number;
}

/** The validation loss of ridge regression y = 2x + noise at one strength λ and one seed. */
export const score = defineNode({
  name: 'ridge/score', // unique: the key and the workers identify the node by it
  version: 1, // bump to force recomputation without a code change
  module: import.meta.url, // where workers find the node
  params: z.object({ lambda: z.number().positive(), seed: z.number().int(), n: z.number().int().default(50) }),
  inputs: {},
  output: json<Score>(),
  run: ({ params, random }) => {
    // \`random\` is seeded from the step and params: the same cell gives the same numbers
    const sample = (n: number) =>
      Array.from({ length: n }, () => {
        const x = random.normal();
        return { x, y: 2 * x + 0.5 * random.normal() };
      });
    const train = sample(params.n);
    const sxy = train.reduce((s, p) => s + p.x * p.y, 0);
    const sxx = train.reduce((s, p) => s + p.x * p.x, 0);
    const w = sxy / (sxx + params.lambda);
    const valid = sample(params.n);
    const loss = valid.reduce((s, p) => s + (p.y - w * p.x) ** 2, 0) / valid.length;
    return { lambda: params.lambda, seed: params.seed, loss };
  },
});

/** The mean loss per λ, best first. */
export const summary = defineNode({
  name: 'ridge/summary',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { scores: many(score.output) }, // every cell of the upstream step
  output: json<{ lambda: number; meanLoss: number }[]>(),
  run: ({ inputs }) => {
    const byLambda = new Map<number, number[]>();
    for (const { value } of inputs.scores) byLambda.set(value.lambda, [...(byLambda.get(value.lambda) ?? []), value.loss]);
    return [...byLambda]
      .map(([lambda, losses]) => ({ lambda, meanLoss: losses.reduce((a, b) => a + b, 0) / losses.length }))
      .sort((a, b) => a.meanLoss - b.meanLoss);
  },
});
`;

const pipeline = `/**
 * The pipeline: a sweep of λ × seed over \`score\`, gathered by \`summary\`.
 * Run it with \`npx featureflow run pipeline.ts\`; change a value with
 * \`--set score.lambda=[0.01,0.1]\`; see what would run with \`npx featureflow plan pipeline.ts\`.
 */
import { definePipeline, gather } from 'featureflow/core';
import { score, summary } from './nodes.js';

const study = definePipeline({ name: 'ridge', description: 'ridge regression: validation loss over λ and seeds', module: import.meta.url });
const { lambda, seed } = study.grid({ lambda: [0.01, 0.1, 1, 10], seed: [0, 1, 2] });
const scores = study.step('score', score, { params: { lambda, seed } });
study.output('scores', scores);
study.output('summary', study.step('summary', summary, { inputs: { scores: gather(scores, ['lambda', 'seed']) } }));

export default study;
`;

const readme = (o: TemplateOptions) => `# ${o.name}

A [featureflow](https://www.npmjs.com/package/featureflow) project: \`nodes.ts\` holds the
computations, \`pipeline.ts\` wires them into a sweep.

\`\`\`sh
npm install                                   # featureflow, TypeScript
npx featureflow run pipeline.ts               # runs what is not cached yet (into artifacts/)
npx featureflow plan pipeline.ts              # what would run, and why
npx featureflow run pipeline.ts --set 'score.lambda=[0.001,0.01]'   # another sweep
npx featureflow export pipeline.ts --format parquet,csv             # tables under exports/
npx tsc -p .                                  # type-check and compile to build/
npx featureflow run build/pipeline.js         # the compiled JavaScript runs the same way
\`\`\`

Read the exports with DuckDB (\`SELECT * FROM 'exports/ridge/scores/*.parquet'\`) or pandas
(\`pd.read_csv(...)\`).
`;

const gitignore = `node_modules/
build/
artifacts/
results/
exports/
`;

/** path inside the project → contents */
export function projectFiles(o: TemplateOptions): Record<string, string> {
  return {
    'package.json': packageJson(o),
    'tsconfig.json': tsconfig,
    'nodes.ts': nodes,
    'pipeline.ts': pipeline,
    'README.md': readme(o),
    '.gitignore': gitignore,
  };
}
