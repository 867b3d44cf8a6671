package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

class MatricesTest {

    /** G Gᵀ + shift·I for a random G: symmetric positive definite. */
    static double[][] randomSpd(int d, double shift, long seed) {
        Rng r = new Rng(seed);
        double[][] g = new double[d][d];
        for (double[] row : g) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
        return Matrices.combine(1, Matrices.multiply(g, Matrices.transpose(g)), 1, Matrices.scaledIdentity(d, shift));
    }

    static void assertClose(double[][] want, double[][] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) for (int j = 0; j < want[i].length; j++)
            assertEquals(want[i][j], got[i][j], tol, what + " at (" + i + ", " + j + ")");
    }

    @Test void eigenDecompositionReconstructs() {
        for (int d : new int[]{1, 2, 5, 12}) {
            double[][] s = randomSpd(d, 0.1, d);
            Matrices.Eigen e = Matrices.eigenSymmetric(s);
            for (int k = 1; k < d; k++) assertTrue(e.values()[k - 1] <= e.values()[k], "ascending");
            assertClose(s, e.apply(x -> x), 1e-10, "V Λ Vᵀ, d = " + d);
            double[][] v = e.vectors();
            assertClose(Matrices.identity(d), Matrices.multiply(Matrices.transpose(v), v), 1e-12, "VᵀV");
        }
        // an indefinite matrix with a known spectrum: [[0, 1], [1, 0]] has eigenvalues −1 and 1
        Matrices.Eigen e = Matrices.eigenSymmetric(new double[][]{{0, 1}, {1, 0}});
        assertArrayEquals(new double[]{-1, 1}, e.values(), 1e-15);
    }

    @Test void spdFunctions() {
        double[][] s = randomSpd(6, 0.5, 42);
        double[][] r = Matrices.sqrtSpd(s);
        assertClose(s, Matrices.multiply(r, r), 1e-10, "sqrt²");
        assertClose(Matrices.identity(6), Matrices.multiply(Matrices.inverseSpd(s), s), 1e-10, "S⁻¹ S");
        assertClose(Matrices.identity(6), Matrices.multiply(Matrices.multiply(Matrices.invSqrtSpd(s), s), Matrices.invSqrtSpd(s)), 1e-10, "S^{-1/2} S S^{-1/2}");
        assertClose(Matrices.inverseSpd(s), Matrices.inverse(s), 1e-10, "eigen vs Gauss–Jordan inverse");
        var e = assertThrows(IllegalArgumentException.class, () -> Matrices.sqrtSpd(new double[][]{{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Matrices.inverse(new double[][]{{1, 2}, {2, 4}}));
        assertThrows(IllegalArgumentException.class, () -> Matrices.multiply(new double[2][3], new double[2][3]));
    }
}
