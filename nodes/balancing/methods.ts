/**
 * The seven methods of thesis ch. 8 as the study lists them: what each is called in the
 * table and whether it needs group attributes during training (which decides its block in
 * the significance test). How each trains lives in its sampler and loss nodes.
 */
export interface MethodInfo {
  readonly name: string;
  readonly usesAttributes: boolean;
}

export const THESIS_METHODS: readonly MethodInfo[] = [
  { name: 'ERM', usesAttributes: false },
  { name: 'JTT', usesAttributes: false },
  { name: 'RWY', usesAttributes: false },
  { name: 'SUBY', usesAttributes: false },
  { name: 'RWG', usesAttributes: true },
  { name: 'SUBG', usesAttributes: true },
  { name: 'gDRO', usesAttributes: true },
];
