import { mlMatrixLinalg as L } from './engine/compute/linalg-mlmatrix.ts';
import * as ts from './nodes/teacher-student/compute.ts';
import { randomSourceFromSeed } from './engine/random.ts';
const rec = ts.logSpacedSteps(100000, 60);
const seeds = 4;
const plain = new Float64Array(rec.length), reg = new Float64Array(rec.length);
let t0 = performance.now();
for (let s=0;s<seeds;s++){
  const draw = ts.drawBipartiteSetup({n:120,d:100,p:70,kappa:30,sigma:0}, randomSourceFromSeed('q'+s), L);
  const G = L.gemm(draw.X, draw.X, {transA:true});
  const xty = L.gemm(draw.X, {rows:120,cols:1,data:draw.teacher.y}, {transA:true}).data;
  const spec = ts.spectrumOfGram(G, {lambda:0}, L);
  for (const [arr, alpha] of [[plain, undefined],[reg, ts.qPenaltySchedule(0.6)]] as const) {
    let k=0;
    ts.gradientDescentLoop({gram:G, xty, eta:spec.eta, lambda:0, steps:100000, alpha, record:rec, onRecord:(st,w)=>{ arr[k++] += ts.empiricalTestError(draw.Xtest, draw.teacher.ytest, w, L)/seeds; }}, L);
  }
}
console.log('ms', performance.now()-t0);
for (let i=0;i<rec.length;i+=3) console.log(rec[i], plain[i].toFixed(4), reg[i].toFixed(4));
console.log(rec[rec.length-1], plain[rec.length-1], reg[rec.length-1]);
// plateau kappa 1e5
const g = [1e5, 1e6];
let m = [0,0];
for (let s=0;s<8;s++){ const draw = ts.drawBipartiteSetup({n:150,d:100,p:60,kappa:1e5,sigma:0}, randomSourceFromSeed('p'+s), L);
 const c = ts.gdClosedFormCurve(draw, {lambda:0,sigma:0,ts:g}, L); m[0]+=c.testError[0]/8; m[1]+=c.testError[1]/8; }
console.log('plateau', m);
