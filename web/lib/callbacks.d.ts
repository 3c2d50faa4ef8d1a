// Types of dl.callbacks and dl.schedules (config.js): early stopping, the learning-rate
// schedules and reduce-on-plateau, as fit's callbacks and schedule take them.
export interface EarlyStoppingConfig {
  monitor?: string;
  patience?: number;
  minDelta?: number;
  restoreBestWeights?: boolean;
  mode?: 'auto' | 'min' | 'max';
  baseline?: number;
  verbose?: number;
}

export interface ScheduleConfig {
  type: 'step_decay' | 'exponential_decay' | 'cosine_decay' | 'reduce_on_plateau';
  decaySteps?: number;
  decayRate?: number;
  alpha?: number;
  monitor?: string;
  factor?: number;
  patience?: number;
  minDelta?: number;
  minRate?: number;
}

export const callbacks: {
  earlyStopping(config?: EarlyStoppingConfig): { earlyStopping: Required<EarlyStoppingConfig> };
  reduceLROnPlateau(config?: Omit<ScheduleConfig, 'type' | 'decaySteps' | 'decayRate' | 'alpha'>): {
    schedule: ScheduleConfig;
  };
};

export const schedules: {
  stepDecay(config?: { decaySteps?: number; decayRate?: number }): ScheduleConfig;
  exponentialDecay(config?: { decaySteps?: number; decayRate?: number }): ScheduleConfig;
  cosineDecay(config?: { decaySteps?: number; alpha?: number }): ScheduleConfig;
};
