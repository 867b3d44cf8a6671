package dsb4j.bridge.cache;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.tensor.DType;

/**
 * What a half-step trains on: minibatches of (state, target increment, step index) for the network of one
 * direction. DSB's {@link TrajectoryCache} records every transition of simulated chains; DSBM's
 * {@link BridgeCache} keeps the chains' two ends and draws states on the reference's bridges between them.
 */
public interface MeanMatchingData {

    /** Minibatch number {@code b} of size {@code size}: the same numbers give the same batch. */
    Batch batch(int b, int size, Backend backend, DType dtype);

    /** The heap its rows take, in bytes. */
    long bytes();

    /** states and targets [B, ...state], steps [B] (the trained network's own step index, as floats). */
    record Batch(Tensor states, Tensor targets, Tensor steps) {
        /** A batch of {@code steps.length} rows from host arrays, states of shape {@code stateShape} each. */
        static Batch of(float[] states, float[] targets, float[] steps, int[] stateShape, Backend backend, DType dtype) {
            int[] shape = new int[stateShape.length + 1];
            shape[0] = steps.length;
            System.arraycopy(stateShape, 0, shape, 1, stateShape.length);
            return new Batch(Tensor.of(backend, states, shape).to(dtype), Tensor.of(backend, targets, shape).to(dtype),
                    Tensor.of(backend, steps, steps.length).to(dtype));
        }
    }
}
