package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

class PointsTest {
    private static final Points P = new Points(3, 2, new float[]{1, 2, 3, 4, 5, 9});

    @Test void validatesShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Points(2, 3, new float[5]));
        assertTrue(e.getMessage().contains("5 values") && e.getMessage().contains("(2, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Points(-1, 2, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new Points(0, 0, new float[0]));
        assertEquals(0, new Points(0, 4, new float[0]).n());
    }

    @Test void rowsAndCells() {
        assertArrayEquals(new float[]{3, 4}, P.row(1));
        assertEquals(9f, P.get(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> P.row(3));
        assertThrows(IndexOutOfBoundsException.class, () -> P.get(0, 2));
    }

    @Test void meanVarianceCovariance() {
        assertArrayEquals(new double[]{3, 5}, P.mean(), 1e-12);
        // x: 1,3,5 (var 4); y: 2,4,9 (mean 5, deviations −3,−1,4: var 26/2 = 13); cov: (−2·−3 + 0 + 2·4)/2 = 7
        double[][] c = P.covariance();
        assertEquals(4, c[0][0], 1e-12);
        assertEquals(13, c[1][1], 1e-12);
        assertEquals(7, c[0][1], 1e-12);
        assertEquals(7, c[1][0], 1e-12);
        assertArrayEquals(new double[]{4, 13}, P.variance(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> P.slice(0, 1).covariance());
    }

    @Test void sliceColumnsSelectConcatPairs() {
        assertEquals(new Points(2, 2, new float[]{3, 4, 5, 9}), P.slice(1, 3));
        assertEquals(new Points(3, 1, new float[]{2, 4, 9}), P.columns(1, 2));
        assertEquals(new Points(3, 2, new float[]{5, 9, 1, 2, 5, 9}), P.select(new int[]{2, 0, 2}));
        Points c = Points.concat(P, P.slice(0, 1));
        assertEquals(4, c.n());
        assertArrayEquals(new float[]{1, 2}, c.row(3));
        Points pairs = Points.pairs(P.columns(0, 1), P.columns(1, 2));
        assertEquals(P, pairs);
        assertThrows(IllegalArgumentException.class, () -> Points.concat(P, P.columns(0, 1)));
        assertThrows(IndexOutOfBoundsException.class, () -> P.slice(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> P.columns(1, 1));
    }

    @Test void ofRows() {
        assertEquals(P, Points.of(new double[][]{{1, 2}, {3, 4}, {5, 9}}));
        assertThrows(IllegalArgumentException.class, () -> Points.of(new double[][]{{1, 2}, {3}}));
    }

    @Test void tensorRoundTrip() {
        Tensor t = Points.toTensor(P, Backends.scalar(), DType.F32);
        assertArrayEquals(new int[]{3, 2}, t.dims());
        assertEquals(P, Points.of(t));
        Tensor t64 = Points.toTensor(P, Backends.scalar(), DType.F64);
        assertEquals(DType.F64, t64.dtype());
        assertEquals(P, Points.of(t64));
        // images: (n, 1, 2, 1) flattens back to d = 2
        Tensor img = Points.toTensor(P, Backends.scalar(), DType.F32, 1, 2, 1);
        assertArrayEquals(new int[]{3, 1, 2, 1}, img.dims());
        assertEquals(P, Points.of(img));
        assertThrows(IllegalArgumentException.class, () -> Points.toTensor(P, Backends.scalar(), DType.F32, 3));
    }
}
