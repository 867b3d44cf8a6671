package dsb4j.engine.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Two ranks of {@link MpiCheck} under mpirun: the collectives' results on every rank, and the time-out that ends a hung job. */
class MpiCollectiveTest {

    /** Two ranks of MpiCheck; without mpirun the test is skipped with one line. */
    static LocalJob.Result run(String mode) throws Exception {
        Assumptions.assumeTrue(LocalJob.mpirun().isPresent(), "mpirun not found: the MPI checks are skipped (./test.sh installs Open MPI where it can)");
        return LocalJob.run(2, List.of("--bind-to", "none"), LocalJob.java(MpiCheck.class.getName(), mode), null, Map.of(), 120);
    }

    @Test void sumsBroadcastsAndGathersReachEveryRank() throws Exception {
        LocalJob.Result r = run("collectives");
        System.out.printf("[mpi] collectives: %.1f s%n", r.seconds());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("collective: Open MPI v"), r.output());
        assertTrue(r.output().contains("rank 0 of 2 ok") && r.output().contains("rank 1 of 2 ok"), r.output());
    }

    @Test void aRankThatHangsEndsTheJobAfterTheTimeOutWithALineNamingTheWaitingRank() throws Exception {
        LocalJob.Result r = run("timeout");
        System.out.printf("[mpi] time-out: job ended after %.1f s%n", r.seconds());
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("dsb: rank 0 of 2: the barrier rank 1 never reaches did not complete within 1 s"), r.output());
        assertTrue(r.seconds() < 30, "rank 1 sleeps 60 s; the job must end long before: " + r.seconds() + " s");
        assertTrue(!r.output().contains("passed a barrier"), r.output());
    }
}
