package dsb4j.bridge.sample;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

class SamplerTest {
    final Backend cpu = Backends.cpu(1);
    final TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, 20, 0.05, 0.05);

    @Test void ornsteinUhlenbeckReferenceHasItsDiscreteMoments() {
        // X_{k+1} = (1−c)X_k + c·m + √(2γ)Z: mean m + a(x0 − m) with a = (1−c)^N; variance by the recursion.
        ReferenceProcess ref = new ReferenceProcess(s, new double[]{1.0}, 0.5);
        Tensor start = Tensor.full(cpu, DType.F32, 3.0, 40_000, 1);
        double[] end = new Sampler(ref, s).pairs(start, new Rng(2)).slice(1, 1, 2).toDoubles();
        double c = 0.05 / 0.5, a = Math.pow(1 - c, 20), var = 0;
        for (int k = 0; k < 20; k++) var = (1 - c) * (1 - c) * var + 0.1;
        double mean = 0, m2 = 0;
        for (double v : end) { mean += v / end.length; m2 += v * v / end.length; }
        assertEquals(1.0 + a * 2.0, mean, 0.01);
        assertEquals(var, m2 - mean * mean, 0.02 * var);
    }

    @Test void trajectoriesAreInIndexOrderForBothDirections() {
        // A backward map that adds 1 per step: from the prior end x_N = 0 the data end is reached after N steps.
        TransitionMap plusOne = new TransitionMap() {
            public Direction direction() { return Direction.BACKWARD; }
            public Tensor mean(Tensor x, int step) { return x.add(1.0); }
        };
        Tensor start = Tensor.zeros(cpu, DType.F32, 3, 2);
        Tensor traj = new Sampler(plusOne, s).trajectories(start, new Rng(1));
        assertArrayEquals(new int[]{3, 21, 2}, traj.dims());
        double[] t = traj.toDoubles();
        assertEquals(0.0, t[20 * 2], 0.0, "index N holds the prior-end start");
        assertTrue(t[0] > 15, "index 0 is the data end, about N steps away");
        Tensor pairs = new Sampler(plusOne, s).pairs(start, new Rng(1));
        assertArrayEquals(new int[]{3, 4}, pairs.dims());
        double[] p = pairs.toDoubles();
        assertTrue(p[0] > 15 && p[2] == 0.0, "pairs put the data end first");
    }

    @Test void generationEndsOnTheMeanWithoutNoise() {
        TransitionMap identity = new TransitionMap() {
            public Direction direction() { return Direction.BACKWARD; }
            public Tensor mean(Tensor x, int step) { return x.mul(0.0); }
        };
        double[] out = new Sampler(identity, s).run(Tensor.full(cpu, DType.F32, 5, 4, 3), new Rng(3)).toDoubles();
        for (double v : out) assertEquals(0.0, v, 0.0);
    }
}
