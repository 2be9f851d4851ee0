// A user's pipeline: 3 λ × 2 seeds, gathered (7 tasks).
import { definePipeline, gather } from 'featureflow';
import { best, score } from './nodes.js';

const study = definePipeline({ name: 'ridge', description: 'a ridge sweep', module: import.meta.url });
const { lambda, seed } = study.grid({ lambda: [0.01, 0.1, 1], seed: [0, 1] });
const scores = study.step('score', score, { params: { lambda, seed } });
study.output('scores', scores);
study.output('best', study.step('best', best, { inputs: { scores: gather(scores, ['lambda', 'seed']) } }));
export default study;
