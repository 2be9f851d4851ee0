/** Param schemas shared by the two-layer nodes: a bad value fails here, naming the parameter, before a run. */
import { z } from 'zod';

export const sampleSize = z.number().int('n must be an integer').min(8, 'n must be ≥ 8').max(20_000);
export const ratio = (name: string) => z.number().positive(`${name} must be > 0`).max(64, `${name} above 64 is not supported`);
export const teacherNorm = z.number().min(0, 'r (‖θ*‖) must be ≥ 0').max(1e3).default(1);
export const noiseStd = z.number().min(0, 'σ (label-noise std) must be ≥ 0').max(1e3).default(0.5);
export const drawCount = z.number().int('draws must be an integer').min(1, 'draws must be ≥ 1').max(10_000);
export const testSize = z.number().int().min(100, 'nTest must be ≥ 100').max(200_000).default(2000);
export const smoothActivation = z.enum(['sigmoid', 'tanh']).default('sigmoid');

/** the integer sizes of a cell: d = round(γ₁n), h = round(γ₂n) (even when the doubling trick needs it) */
export function sizes(n: number, gamma1: number, gamma2: number, evenH = false): { d: number; h: number } {
  const d = Math.max(1, Math.round(gamma1 * n));
  const h = evenH ? Math.max(2, 2 * Math.round((gamma2 * n) / 2)) : Math.max(1, Math.round(gamma2 * n));
  return { d, h };
}
