// The largest files the loaders open, and what one model.json holds: small enough to load
// with the rest of the library (the loaders themselves load on first use, io/index.js).
export const MAX_MODEL_JSON_BYTES = 16 << 20;
export const MAX_WEIGHT_BYTES = 256 << 20;
export const MAX_LINK_BYTES = 64 << 10;

// model.json's text from artifacts (exportModel's): the topology, training configuration
// and a weights manifest naming `weightsFile`, as TensorFlow.js writes it.
export function modelJson(artifacts, weightsFile = 'weights.bin') {
  const { weightSpecs, weightData, ...rest } = artifacts;
  return JSON.stringify({ ...rest, weightsManifest: [{ paths: [weightsFile], weights: weightSpecs }] });
}

// TensorFlow.js' ModelArtifactsInfo of artifacts (saved now, unless dateSaved says when).
export function artifactsInfo(artifacts, dateSaved = new Date()) {
  return {
    dateSaved,
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
    weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
    weightDataBytes: artifacts.weightData?.byteLength ?? 0,
  };
}
