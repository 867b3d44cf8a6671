package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.drift.AveragedMap;
import dsb4j.dsb.drift.Direction;
import dsb4j.dsb.drift.TransitionMap;
import dsb4j.dsb.io.Npy;
import dsb4j.dsb.sample.Sampler;
import dsb4j.dsb.train.Checkpointer;
import dsb4j.dsb.train.Presets;
import dsb4j.dsb.train.Problem;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.dsb.train.TrainState;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a trained bridge: generate (backward chain from the prior end) or encode (forward chain from the data end).")
final class SampleCommand implements Callable<Integer> {
    enum Mode { generate, encode }

    @Option(names = "--checkpoint", required = true, description = "A run folder (or its checkpoint/ folder). Repeat it to run "
            + "the average drift of several runs of one chain (an ensemble: e.g. one preset trained with different --seed).")
    List<Path> checkpoints;
    @Option(names = "--n", defaultValue = "1000", description = "Number of chains. Default: ${DEFAULT-VALUE}.")
    int n;
    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;
    @Option(names = "--direction", defaultValue = "generate", description = "generate or encode. Default: ${DEFAULT-VALUE}.")
    Mode direction;
    @Option(names = "--pairs", description = "Write both ends of each chain, (n, 2d), data end first, noise on every step.")
    boolean pairs;
    @Option(names = "--trajectories", description = "Write every state, (n, N+1, d), index 0 = data end.")
    boolean trajectories;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the chains' noise and starting points. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--threads", description = "CPU worker threads. Default: available cores.")
    Integer threads;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override public Integer call() throws Exception {
        if (n < 1) throw new Main.UsageError("--n must be at least 1, got " + n);
        if (pairs && trajectories) throw new Main.UsageError("--pairs and --trajectories exclude each other");
        Direction chain = direction == Mode.generate ? Direction.BACKWARD : Direction.FORWARD;
        TrainConfig c = null;
        Backend backend = null;
        List<TransitionMap> maps = new ArrayList<>();
        for (Path checkpoint : checkpoints) {
            Path dir = Files.isDirectory(checkpoint.resolve("checkpoint")) ? checkpoint.resolve("checkpoint") : checkpoint;
            TrainConfig ci = Checkpointer.readConfig(dir);
            if (c == null) {
                c = ci;
                c.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(device));
                if (threads != null) c.threads = threads;
                backend = CliSupport.backend(c);
            } else if (c.chainMismatch(ci) instanceof String why) {
                throw new Main.UsageError("--checkpoint " + checkpoint + ": another chain than " + checkpoints.getFirst() + " ("
                        + why + "); an ensemble averages runs of one preset, N and schedule");
            }
            TrainState state = Checkpointer.load(dir, ci, backend);
            if (state == null || state.net(chain) == null)
                throw new Main.UsageError("--checkpoint " + checkpoint + ": no trained " + chain.word() + " network there yet");
            maps.add(state.simulator(chain));
        }
        Problem problem = c.problem();
        Rng rng = new Rng(seed);
        var startSource = chain == Direction.BACKWARD ? problem.prior() : problem.data();
        Points startPoints = startSource.sample(n, rng.fork(0));
        Tensor start = Points.toTensor(startPoints, backend, DType.F32, startSource.itemShape());
        Sampler sampler = new Sampler(new AveragedMap(maps), problem.reference().schedule());
        Tensor result = pairs ? sampler.pairs(start, rng.fork(1))
                : trajectories ? sampler.trajectories(start, rng.fork(1))
                : sampler.run(start, rng.fork(1));
        Npy.write(out, result.toFloats(), result.dims());
        System.out.println("wrote " + out + " " + java.util.Arrays.toString(result.dims()));
        return 0;
    }
}
