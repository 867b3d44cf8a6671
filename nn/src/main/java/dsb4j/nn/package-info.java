/**
 * Neural-network building blocks on top of the engine's tensors and autodiff.
 * <ul>
 *   <li>{@link dsb4j.nn.Module}, {@link dsb4j.nn.Parameter}, {@link dsb4j.nn.StateDict}: the parameter tree with
 *       PyTorch-style dotted names, state dicts and safetensors weight files;</li>
 *   <li>{@code layers}: Linear, Conv2d, GroupNorm, activations, Dropout, sinusoidal time embeddings, Sequential,
 *       up- and down-sampling;</li>
 *   <li>{@code models}: the drift networks — {@code Mlp2d} (the reference 2-D net), {@code MlpDrift} (any dimension),
 *       {@code UNet} (guided-diffusion style) — all {@code TimeConditioned};</li>
 *   <li>{@code optim}: Adam, SGD, EMA, global-norm clipping, learning-rate schedules.</li>
 * </ul>
 * Parameters are initialised from an explicit {@link dsb4j.engine.random.Rng} as PyTorch does by default, and
 * parameter values are never written in place (optimisers install new tensors), so any tensor handed out stays valid.
 */
package dsb4j.nn;
