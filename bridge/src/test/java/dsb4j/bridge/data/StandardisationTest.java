package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

class StandardisationTest {

    static Points scaledCloud(int n, Rng rng) {
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            v[3 * i] = (float) (5000 + 1000 * rng.nextGaussian());
            v[3 * i + 1] = (float) (-200 + 10 * rng.nextGaussian());
            v[3 * i + 2] = 42;                                   // a constant coordinate keeps scale 1
        }
        return new Points(n, 3, v);
    }

    @Test void perCoordinateMapsToMeanZeroUnitSdAndBack() {
        Points p = scaledCloud(4000, new Rng(1));
        Standardisation s = Standardisation.perCoordinate(p);
        Points m = s.toModel(p);
        double[] mean = m.mean(), var = m.variance();
        assertEquals(0, mean[0], 1e-4);
        assertEquals(0, mean[1], 1e-4);
        assertEquals(1, var[0], 1e-3);
        assertEquals(1, var[1], 1e-3);
        assertEquals(0, mean[2], 1e-9, "constant coordinate centred");
        assertEquals(1, s.scale()[2], "constant coordinate keeps scale 1");
        Points back = s.toUser(m);
        for (int k = 0; k < p.data().length; k++) assertEquals(p.data()[k], back.data()[k], 1e-3 * Math.max(1, Math.abs(p.data()[k])));
    }

    @Test void perChannelMapsTheRangeOntoMinusOneOneAndClampsBack() {
        // two channels of 2 pixels: channel 0 in 0…255, channel 1 in 10…20
        Standardisation s = Standardisation.perChannel(new double[]{0, 10}, new double[]{255, 20}, 2);
        Points img = new Points(1, 4, new float[]{0, 255, 10, 20});
        assertArrayEquals(new float[]{-1, 1, -1, 1}, s.toModel(img).data(), 1e-6f);
        Points wild = new Points(1, 4, new float[]{-3, 0.5f, 2, Float.NaN});
        float[] back = s.toUser(wild).data();
        assertEquals(0, back[0], "clamped to the overall range's low end");
        assertEquals(191.25f, back[1], 1e-3f);
        assertEquals(25, back[2], 1e-4, "channel 1 at +2 is 25: clamped to the overall range [0, 255], not to its own");
        assertTrue(Float.isNaN(back[3]), "NaN stays visible");
    }

    @Test void roundTripsThroughJson() {
        for (Standardisation s : new Standardisation[]{Standardisation.perCoordinate(scaledCloud(100, new Rng(2))),
                Standardisation.perChannel(new double[]{0, 0, 0}, new double[]{255, 255, 255}, 64), Standardisation.IDENTITY,
                Standardisation.clampOnly(0, 1)}) {
            Standardisation back = Standardisation.fromMap(Json.parseObject(Json.write(s.toMap())));
            assertEquals(s, back, s.toString());
        }
        assertTrue(Standardisation.IDENTITY.isIdentity());
        assertFalse(Standardisation.clampOnly(0, 1).isIdentity());
    }

    @Test void refusesBadScalesAndMismatchedPoints() {
        assertThrows(IllegalArgumentException.class, () -> new Standardisation("x", new double[]{0}, new double[]{0}, 1, 0, 1));
        Standardisation s = Standardisation.perCoordinate(scaledCloud(10, new Rng(3)));
        assertThrows(IllegalArgumentException.class, () -> s.toModel(new Points(1, 2, new float[2])));
    }
}
