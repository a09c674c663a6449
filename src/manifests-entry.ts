/**
 * The `netpol/manifests` entry: Kubernetes manifests as text (YAML or JSON, as kubectl
 * reads them) turned into the policies and the compact cluster `createEngine` takes.
 * It is an entry of its own because reading YAML needs a YAML parser (the `yaml`
 * package): an application that hands `createEngine` objects it already has imports
 * `netpol` alone and its bundle carries no YAML parser (`benchmarks/bundle.ts` measures
 * both). The types are exported from `netpol` too.
 */
export { parseManifests, parseSources, type Manifests, type ParseOptions, type SourceOptions, type Source, type Location } from "./manifests/manifests.js";
