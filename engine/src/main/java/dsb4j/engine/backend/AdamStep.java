package dsb4j.engine.backend;

/**
 * The coefficients of one fused Adam update ({@link Backend#adamStep}): the moment rates, ε, the coupled weight
 * decay λ, the bias-corrected step size lr/(1−β1^t) and 1/√(1−β2^t).
 */
public record AdamStep(double beta1, double beta2, double eps, double weightDecay, double stepSize, double invSqrtBc2) {}
