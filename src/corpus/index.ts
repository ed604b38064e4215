/** The clean TCIA-style corpus: public surface for the CLI and the pipeline. */
export {
  generateCorpus,
  resolveCorpusOptions,
  type CorpusOptions,
  type CorpusReporter,
  type CorpusSummary,
  type CorpusProgress,
} from './write.js';
export {
  planCorpus,
  countPlan,
  type CorpusPlan,
  type PatientPlan,
  type StudyPlan,
  type SeriesPlan,
  type InstancePlan,
} from './plan.js';
export { loadProfile, listProfiles, validateProfile, type CorpusProfile } from './profile.js';
export { loadCorpusTemplates } from './templates.js';
