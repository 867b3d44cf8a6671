package dsb4j.bridge.drift;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.DriftNet.Parameterisation;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.models.Mlp2d;
import java.util.List;
import org.junit.jupiter.api.Test;

class AveragedMapTest {
    final Backend cpu = Backends.cpu(1);

    DriftNet net(long seed, Direction d) { return new DriftNet(new Mlp2d(cpu, DType.F32, new Rng(seed), 2), d, Parameterisation.INCREMENT); }

    @Test void theMeanIsTheAverageOfTheMapsMeansAtEveryStep() {
        List<DriftNet> nets = List.of(net(1, Direction.BACKWARD), net(2, Direction.BACKWARD), net(3, Direction.BACKWARD));
        AveragedMap avg = new AveragedMap(nets);
        assertEquals(Direction.BACKWARD, avg.direction());
        Tensor x = Tensor.randn(cpu, DType.F32, new Rng(9), 37, 2).mul(3.0);
        for (int step : new int[]{0, 7, 19}) {
            double[] got = avg.mean(x, step).toDoubles();
            double[][] each = nets.stream().map(n -> n.mean(x, step).toDoubles()).toArray(double[][]::new);
            boolean differ = false;
            for (int i = 0; i < got.length; i++) {
                double want = (each[0][i] + each[1][i] + each[2][i]) / 3;
                assertEquals(want, got[i], 1e-5 * (1 + Math.abs(want)), "entry " + i + " at step " + step);
                differ |= Math.abs(each[0][i] - each[1][i]) > 1e-3;
            }
            assertTrue(differ, "the nets must differ, or the test checks nothing");
        }
    }

    @Test void oneMapOrTheSameMapTwiceIsThatMapExactly() {
        DriftNet a = net(4, Direction.FORWARD);
        Tensor x = Tensor.randn(cpu, DType.F32, new Rng(5), 11, 2);
        double[] want = a.mean(x, 3).toDoubles();
        assertArrayEquals(want, new AveragedMap(List.of(a)).mean(x, 3).toDoubles(), 0.0);
        assertArrayEquals(want, new AveragedMap(List.of(a, a)).mean(x, 3).toDoubles(), 0.0);
    }

    @Test void mapsOfBothDirectionsOrNoneAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new AveragedMap(List.of(net(1, Direction.BACKWARD), net(2, Direction.FORWARD))));
        assertTrue(e.getMessage().contains("both directions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AveragedMap(List.of()));
    }
}
