// A user's script: compiled by tsc to build/main.js and run with plain node.
import { run } from 'featureflow';
import study from './pipeline.js';

run(study, { store: 'artifacts-node' }).subscribe({
  next: (e) => {
    if (e.type === 'summary') console.log(JSON.stringify(e));
  },
  error: (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
});
