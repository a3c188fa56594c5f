// hb.adversarial: adversarial examples (FGSM, PGD; attacks.ts) and adversarial training as a fit
// callback or loop (training.ts).
export { fgsm, pgd, inputGradient, type AttackOptions, type PgdOptions } from './attacks.js';
export { adversarialTraining, AdversarialTraining, type AdversarialCallbackOptions, type AdversarialTrainingOptions } from './training.js';
