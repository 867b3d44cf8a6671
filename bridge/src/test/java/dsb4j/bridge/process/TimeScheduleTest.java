package dsb4j.bridge.process;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.Direction;
import org.junit.jupiter.api.Test;

class TimeScheduleTest {

    @Test void linearRampIsSymmetricWithReferenceTotal() {
        TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.LINEAR, 30, 1e-5, 0.1);
        assertEquals(30, s.steps());
        assertEquals(1e-5, s.gamma(0), 1e-15);
        assertEquals(0.1, s.gamma(14), 1e-15);
        assertEquals(0.1, s.gamma(15), 1e-15);
        for (int k = 0; k < 30; k++) assertEquals(s.gamma(k), s.gamma(29 - k), 0.0);
        assertEquals(1.50015, s.total(), 1e-9);            // docs/method.md §2.1: MNIST T
    }

    @Test void backwardIndexingIsTheExplicitReversal() {
        TimeSchedule s = TimeSchedule.ofGammas(0.1, 0.2, 0.3, 0.4);    // deliberately not symmetric
        assertEquals(0.4, s.gammaBackward(0));
        assertEquals(0.1, s.gammaBackward(3));
        assertEquals(0.4, Direction.BACKWARD.gamma(s, 0));
        assertEquals(0.1, Direction.FORWARD.gamma(s, 0));
    }

    @Test void geometricAndConstant() {
        TimeSchedule g = TimeSchedule.of(TimeSchedule.Kind.GEOMETRIC, 6, 0.001, 0.1);
        assertEquals(0.01, g.gamma(1), 1e-12);
        TimeSchedule c = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, 20, 0.01, 0.01);
        assertEquals(0.2, c.total(), 1e-12);
    }

    @Test void oddOrTinyStepCountsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> TimeSchedule.of(TimeSchedule.Kind.LINEAR, 21, 0.01, 0.1));
        assertTrue(e.getMessage().contains("--steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeSchedule.of(TimeSchedule.Kind.LINEAR, 0, 0.01, 0.1));
        assertThrows(IllegalArgumentException.class, () -> TimeSchedule.ofGammas(0.1, -0.1));
    }
}
