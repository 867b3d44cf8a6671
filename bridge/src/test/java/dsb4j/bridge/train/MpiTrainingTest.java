package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.bridge.drift.Direction;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.dist.LocalJob;
import dsb4j.engine.dist.SingleProcess;
import dsb4j.engine.random.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training at the level of one step: the all-reduced gradient of two ranks under mpirun equals the sum
 * of the gradients each rank's batch gives when computed separately ({@link MpiGradientCheck}); and what a single
 * process does stays as it was (its cache seeds, its configuration and fingerprint).
 */
class MpiTrainingTest {

    @Test void allReducedGradientIsTheAverageOfTheRanksGradientsComputedSeparately() throws Exception {
        Assumptions.assumeTrue(LocalJob.mpirun().isPresent(), "mpirun not found: the MPI checks are skipped (./test.sh installs Open MPI where it can)");
        LocalJob.Result r = LocalJob.run(2, List.of("--bind-to", "none"), LocalJob.java(MpiGradientCheck.class.getName()), null, Map.of(), 180);
        System.out.printf("[mpi] gradient check: %.1f s%n", r.seconds());
        assertEquals(0, r.exitCode(), r.output());
        for (String line : new String[]{"rank 0 (dsb): all-reduced gradient", "rank 1 (dsb): all-reduced gradient",
                "rank 0 (dsbm): all-reduced gradient", "rank 1 (dsbm): all-reduced gradient"})
            assertTrue(r.output().contains(line), "missing '" + line + "' in:\n" + r.output());
    }

    @Test void aSingleProcessKeepsItsSeedsAndEachRankHasItsOwn() {
        Rng single = HalfBridgeTrainer.cacheRng(42, 2, Direction.FORWARD, 3, 0, 1);
        assertEquals(new Rng(42).fork(2, Direction.FORWARD.ordinal(), 1, 3).seed(), single.seed(), "the seeds of runs made before ranks existed");
        long r0 = HalfBridgeTrainer.cacheRng(42, 2, Direction.FORWARD, 3, 0, 2).seed(), r1 = HalfBridgeTrainer.cacheRng(42, 2, Direction.FORWARD, 3, 1, 2).seed();
        assertNotEquals(r0, r1);
        assertNotEquals(single.seed(), r0);
    }

    @Test void ranksAreRecordedOnlyForSeveralAndTakePartInTheFingerprint() {
        TrainConfig one = Presets.defaults("moons", "quick");
        assertFalse(one.toMap().containsKey("ranks"), "a single process's config.json stays as it was");
        assertEquals(1, TrainConfig.fromMap(one.toMap()).ranks);
        TrainConfig two = one.copy();
        two.ranks = 2;
        assertEquals(2, two.toMap().get("ranks"));
        assertEquals(2, TrainConfig.fromMap(two.toMap()).ranks);
        assertNotEquals(one.fingerprint(), two.fingerprint());
        assertEquals("'ranks': absent vs 2", one.firstDifference(two));
    }

    @Test void aLoopRefusesAJobOfAnotherSize() {
        TrainConfig c = Presets.defaults("moons", "quick");
        c.ranks = 2;
        var e = assertThrows(IllegalArgumentException.class, () -> new IpfLoop(c, c.problem(), Backends.cpu(1), null, null, null, SingleProcess.INSTANCE));
        assertEquals("the configuration is for 2 ranks, this job has 1", e.getMessage());
    }
}
