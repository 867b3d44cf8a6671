/**
 * Data-parallel jobs: {@link dsb4j.engine.dist.Collective} (rank, size, all-reduce, broadcast, barrier) with a
 * single-process implementation and one over Open MPI bound through the JDK's FFM (no native code of our own,
 * no dependency). {@link dsb4j.engine.dist.Collectives#world()} decides which one a process uses from what
 * {@code mpirun} put in its environment; without a launcher MPI is never loaded. The training loop that uses it and
 * the design (rank layout, what is all-reduced, what each rank writes) are in the dsb module and docs/distributed.md.
 */
package dsb4j.engine.dist;
