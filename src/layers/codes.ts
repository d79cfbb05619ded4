/** Numeric codes of the layer kinds (LayerGeom.kind, the cost model's hot path); no imports, so any module may use them. */
export const KIND_CONV = 0;
export const KIND_POOL = 1;
export const KIND_DENSE = 2;
export const KIND_POINTWISE = 3;
export const KIND_DEPTHWISE = 4;
